-- Rows per table and layer, for the demo summary and `lhctl runs` reports (not a job task).
SELECT 'bronze' AS layer, 'customers' AS table_name, count(*) AS row_count FROM {{catalog}}.{{bronze}}.customers
UNION ALL SELECT 'bronze', 'products', count(*) FROM {{catalog}}.{{bronze}}.products
UNION ALL SELECT 'bronze', 'stores', count(*) FROM {{catalog}}.{{bronze}}.stores
UNION ALL SELECT 'bronze', 'inventory', count(*) FROM {{catalog}}.{{bronze}}.inventory
UNION ALL SELECT 'bronze', 'orders', count(*) FROM {{catalog}}.{{bronze}}.orders
UNION ALL SELECT 'bronze', 'sales_transactions', count(*) FROM {{catalog}}.{{bronze}}.sales_transactions
UNION ALL SELECT 'silver', 'customers', count(*) FROM {{catalog}}.{{silver}}.customers
UNION ALL SELECT 'silver', 'products', count(*) FROM {{catalog}}.{{silver}}.products
UNION ALL SELECT 'silver', 'stores', count(*) FROM {{catalog}}.{{silver}}.stores
UNION ALL SELECT 'silver', 'inventory', count(*) FROM {{catalog}}.{{silver}}.inventory
UNION ALL SELECT 'silver', 'order_events', count(*) FROM {{catalog}}.{{silver}}.order_events
UNION ALL SELECT 'silver', 'sales_transactions', count(*) FROM {{catalog}}.{{silver}}.sales_transactions
UNION ALL SELECT 'silver', 'quarantine', count(*) FROM {{catalog}}.{{silver}}.quarantine
UNION ALL SELECT 'gold', 'dim_customer', count(*) FROM {{catalog}}.{{gold}}.dim_customer
UNION ALL SELECT 'gold', 'dim_product', count(*) FROM {{catalog}}.{{gold}}.dim_product
UNION ALL SELECT 'gold', 'dim_store', count(*) FROM {{catalog}}.{{gold}}.dim_store
UNION ALL SELECT 'gold', 'dim_date', count(*) FROM {{catalog}}.{{gold}}.dim_date
UNION ALL SELECT 'gold', 'fact_sales', count(*) FROM {{catalog}}.{{gold}}.fact_sales
UNION ALL SELECT 'gold', 'agg_daily_sales', count(*) FROM {{catalog}}.{{gold}}.agg_daily_sales;
