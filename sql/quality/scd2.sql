-- SCD2 invariants of dim_customer and dim_product: one current row per key, no overlapping
-- validity intervals, and effective_to NULL exactly on the current row.
INSERT INTO {{catalog}}.{{gold}}.quality_results
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
SELECT current_timestamp(), 'scd2', r.table_name, r.rule,
  count(f.sample_key), slice(sort_array(collect_list(f.sample_key)), 1, 5), count(f.sample_key) = 0
FROM rules AS r LEFT JOIN failures AS f ON f.table_name = r.table_name AND f.rule = r.rule
GROUP BY r.table_name, r.rule;
