-- Freshness: every source was ingested within the last 26 hours (hourly ingestion plus a day of slack).
MERGE INTO {{catalog}}.{{gold}}.quality_results AS t
USING (
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
  SELECT 'freshness' AS check_group,
    concat('bronze.', source) AS table_name,
    'ingested within 26 hours' AS rule,
    CASE WHEN last_ingested IS NULL OR last_ingested < current_timestamp() - INTERVAL 26 HOURS THEN 1 ELSE 0 END AS failing_count,
    array(concat(source, ' last ingested ', coalesce(CAST(last_ingested AS STRING), 'never'))) AS sample_keys,
    last_ingested IS NOT NULL AND last_ingested >= current_timestamp() - INTERVAL 26 HOURS AS passed,
    current_timestamp() AS changed_at
  FROM latest
) AS s
ON t.check_group = 'freshness' AND t.check_group = s.check_group AND t.table_name = s.table_name AND t.rule = s.rule
WHEN MATCHED AND (t.failing_count <> s.failing_count OR t.passed <> s.passed OR NOT (t.sample_keys <=> s.sample_keys)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
