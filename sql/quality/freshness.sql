-- Freshness: every source was ingested within the last 26 hours (hourly ingestion plus a day of slack).
INSERT INTO {{catalog}}.{{gold}}.quality_results
WITH latest AS (
  SELECT 'customers' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.customers
  UNION ALL
  SELECT 'products' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.products
  UNION ALL
  SELECT 'stores' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.stores
  UNION ALL
  SELECT 'inventory' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.inventory
  UNION ALL
  SELECT 'orders' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.orders
  UNION ALL
  SELECT 'sales_transactions' AS source, max(_ingested_at) AS last_ingested FROM {{catalog}}.{{bronze}}.sales_transactions
)
SELECT current_timestamp(), 'freshness', concat('bronze.', source), 'ingested within 26 hours',
  CASE WHEN last_ingested IS NULL OR last_ingested < current_timestamp() - INTERVAL 26 HOURS THEN 1 ELSE 0 END,
  array(concat(source, ' last ingested ', coalesce(CAST(last_ingested AS STRING), 'never'))),
  last_ingested IS NOT NULL AND last_ingested >= current_timestamp() - INTERVAL 26 HOURS
FROM latest;
