-- Silver stores: one row per (store_id, updated_at) version; gold keeps only the latest (SCD1).
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.stores (
  store_id STRING NOT NULL,
  store_name STRING,
  city STRING,
  state STRING,
  region STRING,
  store_type STRING,
  manager STRING,
  updated_at TIMESTAMP NOT NULL,
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_stores_checked AS
WITH parsed AS (
  SELECT value, _batch_id, _source_file,
    from_csv(value, 'c0 STRING, c1 STRING, c2 STRING, c3 STRING, c4 STRING, c5 STRING, c6 STRING, c7 STRING, c8 STRING, c9 STRING, c10 STRING, c11 STRING, c12 STRING, c13 STRING, c14 STRING, c15 STRING') AS cell
  FROM {{changes:bronze.stores}}
),
lines AS (
  SELECT value, _batch_id, _source_file, array(cell.*) AS cells FROM parsed
),
headers AS (
  SELECT _source_file, cells AS names FROM lines WHERE startswith(value, 'store_id,')
),
records AS (
  SELECT l.value AS raw_record, l._batch_id, l._source_file,
    map_from_entries(filter(zip_with(h.names, l.cells, (k, v) -> named_struct('k', k, 'v', v)), e -> e.k IS NOT NULL)) AS r
  FROM lines AS l JOIN headers AS h ON l._source_file = h._source_file
  WHERE NOT startswith(l.value, 'store_id,')
),
typed AS (
  SELECT raw_record, _batch_id, _source_file,
    upper(nullif(trim(r['store_id']), '')) AS store_id,
    trim(r['store_name']) AS store_name,
    trim(r['city']) AS city,
    upper(trim(r['state'])) AS state,
    lower(trim(r['region'])) AS region,
    lower(trim(r['store_type'])) AS store_type,
    trim(r['manager']) AS manager,
    try_to_timestamp(r['updated_at']) AS updated_at
  FROM records
)
SELECT *,
  CASE
    WHEN updated_at IS NULL THEN 'malformed'
    WHEN store_id IS NULL THEN 'null_key'
  END AS reject_reason
FROM typed;

MERGE INTO {{catalog}}.{{silver}}.stores AS t
USING (
  SELECT store_id, store_name, city, state, region, store_type, manager, updated_at, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY store_id, updated_at ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_stores_checked WHERE reject_reason IS NULL
  ) WHERE copy = 1
) AS s
ON t.store_id = s.store_id AND t.updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'stores' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_stores_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'stores' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
