-- SCD2 invariants of dim_customer and dim_product: one current row per key, no overlapping
-- validity intervals, and effective_to NULL exactly on the current row.
MERGE INTO {{catalog}}.{{gold}}.quality_results AS t
USING (
  WITH versions AS (
    SELECT 'gold.dim_customer' AS table_name, customer_id AS business_key, customer_sk AS sk, effective_from, effective_to, is_current
    FROM {{catalog}}.{{gold}}.dim_customer
    UNION ALL
    SELECT 'gold.dim_product', product_id, product_sk, effective_from, effective_to, is_current
    FROM {{catalog}}.{{gold}}.dim_product
  ),
  failures AS (
    SELECT table_name, 'one current row per key' AS rule, business_key AS sample_key
    FROM versions GROUP BY table_name, business_key HAVING count_if(is_current) <> 1
    UNION ALL
    SELECT a.table_name, 'no overlapping intervals', concat(a.business_key, '@', a.effective_from)
    FROM versions AS a JOIN versions AS b
      ON a.table_name = b.table_name AND a.business_key = b.business_key AND a.sk <> b.sk
      AND a.effective_from <= b.effective_from
      AND (a.effective_to IS NULL OR b.effective_from < a.effective_to)
    UNION ALL
    SELECT table_name, 'effective_to NULL only on current', concat(business_key, '@', effective_from)
    FROM versions WHERE is_current <> (effective_to IS NULL) OR (effective_to IS NOT NULL AND effective_to <= effective_from)
  ),
  rules AS (
    SELECT t.table_name, r.rule
    FROM VALUES ('gold.dim_customer'), ('gold.dim_product') AS t(table_name)
    CROSS JOIN VALUES ('one current row per key'), ('no overlapping intervals'), ('effective_to NULL only on current') AS r(rule)
  )
  SELECT 'scd2' AS check_group,
    r.table_name AS table_name,
    r.rule AS rule,
    count(f.sample_key) AS failing_count,
    slice(sort_array(collect_list(f.sample_key)), 1, 5) AS sample_keys,
    count(f.sample_key) = 0 AS passed,
    current_timestamp() AS changed_at
  FROM rules AS r LEFT JOIN failures AS f ON f.table_name = r.table_name AND f.rule = r.rule
  GROUP BY r.table_name, r.rule
) AS s
ON t.check_group = 'scd2' AND t.check_group = s.check_group AND t.table_name = s.table_name AND t.rule = s.rule
WHEN MATCHED AND (t.failing_count <> s.failing_count OR t.passed <> s.passed OR NOT (t.sample_keys <=> s.sample_keys)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
