-- SCD2 versions per dimension: keys, versions, and versions beyond the first (changes captured). Not a job task.
SELECT 'dim_customer' AS dimension, count(DISTINCT customer_id) AS business_keys, count(*) AS versions,
  count(*) - count(DISTINCT customer_id) AS changes_captured
FROM {{catalog}}.{{gold}}.dim_customer WHERE customer_sk <> -1
UNION ALL
SELECT 'dim_product', count(DISTINCT product_id), count(*), count(*) - count(DISTINCT product_id)
FROM {{catalog}}.{{gold}}.dim_product WHERE product_sk <> -1;
