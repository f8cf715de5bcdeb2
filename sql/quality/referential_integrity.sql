-- Every fact key resolves to a dimension row (the unknown member -1 included, which every dimension holds).
INSERT INTO {{catalog}}.{{gold}}.quality_results
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
SELECT current_timestamp(), 'referential_integrity', 'gold.fact_sales', r.rule,
  count(f.sample_key), slice(sort_array(collect_list(f.sample_key)), 1, 5), count(f.sample_key) = 0
FROM rules AS r LEFT JOIN failures AS f ON f.rule = r.rule
GROUP BY r.rule;
