-- Every fact key resolves to a dimension row (the unknown member -1 included, which every dimension holds).
MERGE INTO {{catalog}}.{{gold}}.quality_results AS t
USING (
  WITH failures AS (
    SELECT 'customer_sk -> dim_customer' AS rule, concat(f.transaction_id, '#', f.line_number) AS sample_key
    FROM {{catalog}}.{{gold}}.fact_sales AS f LEFT ANTI JOIN {{catalog}}.{{gold}}.dim_customer AS d ON d.customer_sk = f.customer_sk
    UNION ALL
    SELECT 'product_sk -> dim_product', concat(f.transaction_id, '#', f.line_number)
    FROM {{catalog}}.{{gold}}.fact_sales AS f LEFT ANTI JOIN {{catalog}}.{{gold}}.dim_product AS d ON d.product_sk = f.product_sk
    UNION ALL
    SELECT 'store_sk -> dim_store', concat(f.transaction_id, '#', f.line_number)
    FROM {{catalog}}.{{gold}}.fact_sales AS f LEFT ANTI JOIN {{catalog}}.{{gold}}.dim_store AS d ON d.store_sk = f.store_sk
    UNION ALL
    SELECT 'date_key -> dim_date', concat(f.transaction_id, '#', f.line_number)
    FROM {{catalog}}.{{gold}}.fact_sales AS f LEFT ANTI JOIN {{catalog}}.{{gold}}.dim_date AS d ON d.date_key = f.date_key
  ),
  rules AS (
    SELECT * FROM VALUES ('customer_sk -> dim_customer'), ('product_sk -> dim_product'), ('store_sk -> dim_store'), ('date_key -> dim_date') AS rules(rule)
  )
  SELECT 'referential_integrity' AS check_group,
    'gold.fact_sales' AS table_name,
    r.rule AS rule,
    count(f.sample_key) AS failing_count,
    slice(sort_array(collect_list(f.sample_key)), 1, 5) AS sample_keys,
    count(f.sample_key) = 0 AS passed,
    current_timestamp() AS changed_at
  FROM rules AS r LEFT JOIN failures AS f ON f.rule = r.rule
  GROUP BY r.rule
) AS s
ON t.check_group = 'referential_integrity' AND t.check_group = s.check_group AND t.table_name = s.table_name AND t.rule = s.rule
WHEN MATCHED AND (t.failing_count <> s.failing_count OR t.passed <> s.passed OR NOT (t.sample_keys <=> s.sample_keys)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
