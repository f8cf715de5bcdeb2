-- tables
SHOW TABLES IN `spark_catalog`.`local_gold`;

-- describe detail
DESCRIBE DETAIL `spark_catalog`.`local_gold`.`dim_customer`;

-- describe schema
DESCRIBE TABLE `spark_catalog`.`local_gold`.`dim_customer`;

-- row count
SELECT COUNT(*) AS row_count FROM `spark_catalog`.`local_gold`.`dim_customer`;

-- history
DESCRIBE HISTORY `spark_catalog`.`local_gold`.`dim_customer` LIMIT 20;

-- commit tag set by pipeline tasks
SET spark.databricks.delta.commitInfo.userMetadata = {"run":"r-20261125-0100","task":"gold_dim_customer"};

-- time-travel
SELECT `customer_id`, `email`
FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 3
WHERE (city = 'Oslo')
LIMIT 100;

-- diff (change data feed)
WITH
  counted AS (SELECT `customer_id`, `effective_from`, _row, sum(_side) AS _net FROM (SELECT `customer_id`, `effective_from`, struct(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS _row, CASE WHEN _change_type IN ('insert', 'update_postimage') THEN 1 ELSE -1 END AS _side FROM table_changes('`spark_catalog`.`local_gold`.`dim_customer`', 4, 5)) GROUP BY `customer_id`, `effective_from`, _row HAVING sum(_side) <> 0),
  o AS (SELECT `customer_id`, `effective_from`, explode(array_repeat(_row, CAST(-_net AS INT))) AS _row FROM counted WHERE -_net > 0),
  n AS (SELECT `customer_id`, `effective_from`, explode(array_repeat(_row, CAST(_net AS INT))) AS _row FROM counted WHERE _net > 0)
SELECT CASE WHEN o._row IS NULL THEN 'insert' WHEN n._row IS NULL THEN 'delete' ELSE 'update' END AS _change,
  o._row AS _old, n._row AS _new
FROM o FULL OUTER JOIN n ON o.`customer_id` <=> n.`customer_id` AND o.`effective_from` <=> n.`effective_from`;

-- diff (snapshots)
WITH
  counted AS (SELECT `customer_id`, `effective_from`, _row, sum(_side) AS _net FROM (SELECT `customer_id`, `effective_from`, struct(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS _row, -1 AS _side FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 3 UNION ALL SELECT `customer_id`, `effective_from`, struct(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS _row, 1 AS _side FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 5) GROUP BY `customer_id`, `effective_from`, _row HAVING sum(_side) <> 0),
  o AS (SELECT `customer_id`, `effective_from`, explode(array_repeat(_row, CAST(-_net AS INT))) AS _row FROM counted WHERE -_net > 0),
  n AS (SELECT `customer_id`, `effective_from`, explode(array_repeat(_row, CAST(_net AS INT))) AS _row FROM counted WHERE _net > 0)
SELECT CASE WHEN o._row IS NULL THEN 'insert' WHEN n._row IS NULL THEN 'delete' ELSE 'update' END AS _change,
  o._row AS _old, n._row AS _new
FROM o FULL OUTER JOIN n ON o.`customer_id` <=> n.`customer_id` AND o.`effective_from` <=> n.`effective_from`;

-- diff (snapshots, whole rows)
WITH
  counted AS (SELECT _row, sum(_side) AS _net FROM (SELECT struct(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS _row, -1 AS _side FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 3 UNION ALL SELECT struct(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS _row, 1 AS _side FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 5) GROUP BY _row HAVING sum(_side) <> 0),
  o AS (SELECT explode(array_repeat(_row, CAST(-_net AS INT))) AS _row FROM counted WHERE -_net > 0),
  n AS (SELECT explode(array_repeat(_row, CAST(_net AS INT))) AS _row FROM counted WHERE _net > 0)
SELECT 'delete' AS _change, _row AS _old, NULL AS _new FROM o
UNION ALL
SELECT 'insert' AS _change, NULL AS _old, _row AS _new FROM n;

-- cdf
SELECT * FROM table_changes('`spark_catalog`.`local_gold`.`dim_customer`', 3, 5)
WHERE _change_type IN ('update_preimage', 'update_postimage')
ORDER BY _commit_version, _change_type;

-- restore
RESTORE TABLE `spark_catalog`.`local_gold`.`dim_customer` TO VERSION AS OF 3;

-- restore check
SELECT COUNT(*) AS row_count, bit_xor(xxhash64(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`)) AS xor_hash, SUM(CAST(xxhash64(`customer_sk`, `customer_id`, `name`, `email`, `city`, `effective_from`, `effective_to`, `is_current`) AS DECIMAL(38,0))) AS sum_hash FROM `spark_catalog`.`local_gold`.`dim_customer` VERSION AS OF 3;

-- optimize
OPTIMIZE `spark_catalog`.`local_gold`.`fact_sales` ZORDER BY (`store_key`, `date_key`);

-- vacuum dry run
VACUUM `spark_catalog`.`local_gold`.`fact_sales` RETAIN 168 HOURS DRY RUN;

-- vacuum
VACUUM `spark_catalog`.`local_gold`.`fact_sales` RETAIN 240 HOURS;
