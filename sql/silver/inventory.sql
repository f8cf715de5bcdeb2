-- Silver inventory: one snapshot row per (snapshot_date, store_id, product_id); stores must exist in silver.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.inventory (
  snapshot_date DATE NOT NULL,
  store_id STRING NOT NULL,
  product_id STRING NOT NULL,
  on_hand INT,
  on_order INT,
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_inventory_checked AS
WITH parsed AS (
  SELECT value, _batch_id, _source_file,
    from_csv(value, 'c0 STRING, c1 STRING, c2 STRING, c3 STRING, c4 STRING, c5 STRING, c6 STRING, c7 STRING, c8 STRING, c9 STRING, c10 STRING, c11 STRING, c12 STRING, c13 STRING, c14 STRING, c15 STRING') AS cell
  FROM {{changes:bronze.inventory}}
),
lines AS (
  SELECT value, _batch_id, _source_file, array(cell.*) AS cells FROM parsed
),
headers AS (
  SELECT _source_file, cells AS names FROM lines WHERE startswith(value, 'snapshot_date,')
),
records AS (
  SELECT l.value AS raw_record, l._batch_id, l._source_file,
    map_from_entries(filter(zip_with(h.names, l.cells, (k, v) -> named_struct('k', k, 'v', v)), e -> e.k IS NOT NULL)) AS r
  FROM lines AS l JOIN headers AS h ON l._source_file = h._source_file
  WHERE NOT startswith(l.value, 'snapshot_date,')
  UNION ALL
  -- Rows pulled from the orders database: one JSON object each, named by field (bronze/jdbc_inventory.sql).
  SELECT value, _batch_id, _source_file, from_json(value, 'MAP<STRING, STRING>')
  FROM parsed WHERE startswith(value, '{')
),
typed AS (
  SELECT raw_record, _batch_id, _source_file,
    try_cast(r['snapshot_date'] AS DATE) AS snapshot_date,
    upper(nullif(trim(r['store_id']), '')) AS store_id,
    nullif(trim(r['product_id']), '') AS product_id,
    try_cast(r['on_hand'] AS INT) AS on_hand,
    try_cast(r['on_order'] AS INT) AS on_order
  FROM records
),
known_stores AS (
  SELECT DISTINCT store_id FROM {{catalog}}.{{silver}}.stores
)
SELECT typed.*,
  CASE
    WHEN snapshot_date IS NULL OR on_hand IS NULL OR on_order IS NULL THEN 'malformed'
    WHEN typed.store_id IS NULL OR product_id IS NULL THEN 'null_key'
    WHEN on_hand < 0 OR on_order < 0 THEN 'negative_quantity'
    WHEN known_stores.store_id IS NULL THEN 'unknown_store'
  END AS reject_reason
FROM typed LEFT JOIN known_stores ON typed.store_id = known_stores.store_id;

MERGE INTO {{catalog}}.{{silver}}.inventory AS t
USING (
  SELECT snapshot_date, store_id, product_id, on_hand, on_order, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY snapshot_date, store_id, product_id ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_inventory_checked WHERE reject_reason IS NULL
  ) WHERE copy = 1
) AS s
ON t.snapshot_date = s.snapshot_date AND t.store_id = s.store_id AND t.product_id = s.product_id
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'inventory' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_inventory_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'inventory' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
