-- Not-null and unique business and surrogate keys in silver and gold.
MERGE INTO {{catalog}}.{{gold}}.quality_results AS t
USING (
  WITH failures AS (
    SELECT 'silver.customers' AS table_name, 'unique (customer_id, updated_at)' AS rule, concat(customer_id, '@', updated_at) AS sample_key
    FROM {{catalog}}.{{silver}}.customers GROUP BY customer_id, updated_at HAVING count(*) > 1
    UNION ALL
    SELECT 'silver.products', 'unique (product_id, updated_at)', concat(product_id, '@', updated_at)
    FROM {{catalog}}.{{silver}}.products GROUP BY product_id, updated_at HAVING count(*) > 1
    UNION ALL
    SELECT 'silver.sales_transactions', 'unique (transaction_id, line_number)', concat(transaction_id, '#', line_number)
    FROM {{catalog}}.{{silver}}.sales_transactions GROUP BY transaction_id, line_number HAVING count(*) > 1
    UNION ALL
    SELECT 'silver.order_events', 'unique (order_id, status)', concat(order_id, '/', status)
    FROM {{catalog}}.{{silver}}.order_events GROUP BY order_id, status HAVING count(*) > 1
    UNION ALL
    SELECT 'gold.dim_customer', 'unique customer_sk', CAST(customer_sk AS STRING)
    FROM {{catalog}}.{{gold}}.dim_customer GROUP BY customer_sk HAVING count(*) > 1
    UNION ALL
    SELECT 'gold.dim_customer', 'not null customer_sk, customer_id', coalesce(customer_id, CAST(customer_sk AS STRING), '(null)')
    FROM {{catalog}}.{{gold}}.dim_customer WHERE customer_sk IS NULL OR customer_id IS NULL
    UNION ALL
    SELECT 'gold.dim_product', 'unique product_sk', CAST(product_sk AS STRING)
    FROM {{catalog}}.{{gold}}.dim_product GROUP BY product_sk HAVING count(*) > 1
    UNION ALL
    SELECT 'gold.dim_product', 'not null product_sk, product_id', coalesce(product_id, CAST(product_sk AS STRING), '(null)')
    FROM {{catalog}}.{{gold}}.dim_product WHERE product_sk IS NULL OR product_id IS NULL
    UNION ALL
    SELECT 'gold.dim_store', 'unique store_sk and store_id', store_id
    FROM {{catalog}}.{{gold}}.dim_store GROUP BY store_id HAVING count(*) > 1 OR count(DISTINCT store_sk) > 1
    UNION ALL
    SELECT 'gold.dim_date', 'unique date_key', CAST(date_key AS STRING)
    FROM {{catalog}}.{{gold}}.dim_date GROUP BY date_key HAVING count(*) > 1
    UNION ALL
    SELECT 'gold.fact_sales', 'unique (transaction_id, line_number, channel)', concat(transaction_id, '#', line_number, '/', channel)
    FROM {{catalog}}.{{gold}}.fact_sales GROUP BY transaction_id, line_number, channel HAVING count(*) > 1
    UNION ALL
    SELECT 'gold.fact_sales', 'not null keys', concat(coalesce(transaction_id, '(null)'), '#', coalesce(CAST(line_number AS STRING), '(null)'))
    FROM {{catalog}}.{{gold}}.fact_sales
    WHERE transaction_id IS NULL OR line_number IS NULL OR date_key IS NULL OR customer_sk IS NULL OR product_sk IS NULL OR store_sk IS NULL
  ),
  rules AS (
    SELECT * FROM VALUES
      ('silver.customers', 'unique (customer_id, updated_at)'),
      ('silver.products', 'unique (product_id, updated_at)'),
      ('silver.sales_transactions', 'unique (transaction_id, line_number)'),
      ('silver.order_events', 'unique (order_id, status)'),
      ('gold.dim_customer', 'unique customer_sk'),
      ('gold.dim_customer', 'not null customer_sk, customer_id'),
      ('gold.dim_product', 'unique product_sk'),
      ('gold.dim_product', 'not null product_sk, product_id'),
      ('gold.dim_store', 'unique store_sk and store_id'),
      ('gold.dim_date', 'unique date_key'),
      ('gold.fact_sales', 'unique (transaction_id, line_number, channel)'),
      ('gold.fact_sales', 'not null keys')
      AS rules(table_name, rule)
  )
  SELECT 'keys' AS check_group,
    r.table_name AS table_name,
    r.rule AS rule,
    count(f.sample_key) AS failing_count,
    slice(sort_array(collect_list(f.sample_key)), 1, 5) AS sample_keys,
    count(f.sample_key) = 0 AS passed,
    current_timestamp() AS changed_at
  FROM rules AS r LEFT JOIN failures AS f ON f.table_name = r.table_name AND f.rule = r.rule
  GROUP BY r.table_name, r.rule
) AS s
ON t.check_group = 'keys' AND t.check_group = s.check_group AND t.table_name = s.table_name AND t.rule = s.rule
WHEN MATCHED AND (t.failing_count <> s.failing_count OR t.passed <> s.passed OR NOT (t.sample_keys <=> s.sample_keys)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
