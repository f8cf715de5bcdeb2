-- Reconciliation per source and batch: every bronze data line is in silver, in quarantine, or an exact
-- duplicate that silver dropped. Silver counts in the bronze unit (a POS transaction is one line).
MERGE INTO {{catalog}}.{{gold}}.quality_results AS t
USING (
  WITH bronze AS (
    SELECT 'customers' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.customers WHERE NOT startswith(value, 'customer_id,') GROUP BY _batch_id
    UNION ALL
    SELECT 'products' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.products WHERE NOT startswith(value, 'product_id,') GROUP BY _batch_id
    UNION ALL
    SELECT 'stores' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.stores WHERE NOT startswith(value, 'store_id,') GROUP BY _batch_id
    UNION ALL
    SELECT 'inventory' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.inventory WHERE NOT startswith(value, 'snapshot_date,') GROUP BY _batch_id
    UNION ALL
    SELECT 'orders' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.orders  GROUP BY _batch_id
    UNION ALL
    SELECT 'sales_transactions' AS source, _batch_id, count(*) AS lines, count(DISTINCT value) AS distinct_lines
    FROM {{catalog}}.{{bronze}}.sales_transactions  GROUP BY _batch_id
  ),
  silver AS (
    SELECT 'customers' AS source, _batch_id, n FROM (SELECT _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.customers GROUP BY _batch_id)
    UNION ALL
    SELECT 'products' AS source, _batch_id, n FROM (SELECT _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.products GROUP BY _batch_id)
    UNION ALL
    SELECT 'stores' AS source, _batch_id, n FROM (SELECT _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.stores GROUP BY _batch_id)
    UNION ALL
    SELECT 'inventory' AS source, _batch_id, n FROM (SELECT _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.inventory GROUP BY _batch_id)
    UNION ALL
    SELECT 'orders' AS source, _batch_id, n FROM (SELECT _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.order_events GROUP BY _batch_id)
    UNION ALL
    SELECT 'sales_transactions' AS source, _batch_id, n FROM (SELECT _batch_id, count(DISTINCT transaction_id) AS n FROM {{catalog}}.{{silver}}.sales_transactions GROUP BY _batch_id)
  ),
  quarantined AS (
    SELECT source, _batch_id, count(*) AS n FROM {{catalog}}.{{silver}}.quarantine GROUP BY source, _batch_id
  ),
  balance AS (
    SELECT b.source, b._batch_id, b.lines, coalesce(s.n, 0) AS silver_rows, coalesce(q.n, 0) AS quarantined_rows,
      b.lines - b.distinct_lines AS duplicates
    FROM bronze AS b
    LEFT JOIN silver AS s ON s.source = b.source AND s._batch_id = b._batch_id
    LEFT JOIN quarantined AS q ON q.source = b.source AND q._batch_id = b._batch_id
  ),
  sources AS (
    SELECT * FROM VALUES ('customers'), ('products'), ('stores'), ('inventory'), ('orders'), ('sales_transactions') AS sources(source)
  )
  SELECT 'reconciliation' AS check_group,
    concat('bronze.', src.source) AS table_name,
    'bronze = silver + quarantine + duplicates' AS rule,
    count_if(b.lines <> b.silver_rows + b.quarantined_rows + b.duplicates) AS failing_count,
    slice(sort_array(collect_list(CASE WHEN b.lines <> b.silver_rows + b.quarantined_rows + b.duplicates THEN
      concat('batch ', b._batch_id, ': bronze ', b.lines, ' <> silver ', b.silver_rows, ' + quarantine ', b.quarantined_rows, ' + duplicates ', b.duplicates) END)), 1, 5) AS sample_keys,
    count_if(b.lines <> b.silver_rows + b.quarantined_rows + b.duplicates) = 0 AS passed,
    current_timestamp() AS changed_at
  FROM sources AS src LEFT JOIN balance AS b ON b.source = src.source
  GROUP BY src.source
) AS s
ON t.check_group = 'reconciliation' AND t.check_group = s.check_group AND t.table_name = s.table_name AND t.rule = s.rule
WHEN MATCHED AND (t.failing_count <> s.failing_count OR t.passed <> s.passed OR NOT (t.sample_keys <=> s.sample_keys)) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;
