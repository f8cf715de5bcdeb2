-- Silver products: one row per (product_id, updated_at) version, typed; prices must parse.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.products (
  product_id STRING NOT NULL,
  product_name STRING,
  category STRING COMMENT 'lower-cased',
  brand STRING,
  unit_price DECIMAL(10,2) COMMENT 'list price',
  updated_at TIMESTAMP NOT NULL,
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_products_checked AS
WITH parsed AS (
  SELECT value, _batch_id, _source_file,
    from_csv(value, 'c0 STRING, c1 STRING, c2 STRING, c3 STRING, c4 STRING, c5 STRING, c6 STRING, c7 STRING, c8 STRING, c9 STRING, c10 STRING, c11 STRING, c12 STRING, c13 STRING, c14 STRING, c15 STRING') AS cell
  FROM {{changes:bronze.products}}
),
lines AS (
  SELECT value, _batch_id, _source_file, array(cell.*) AS cells FROM parsed
),
headers AS (
  SELECT _source_file, cells AS names FROM lines WHERE startswith(value, 'product_id,')
),
records AS (
  SELECT l.value AS raw_record, l._batch_id, l._source_file,
    map_from_entries(filter(zip_with(h.names, l.cells, (k, v) -> named_struct('k', k, 'v', v)), e -> e.k IS NOT NULL)) AS r
  FROM lines AS l JOIN headers AS h ON l._source_file = h._source_file
  WHERE NOT startswith(l.value, 'product_id,')
),
typed AS (
  SELECT raw_record, _batch_id, _source_file,
    nullif(trim(r['product_id']), '') AS product_id,
    trim(r['product_name']) AS product_name,
    lower(trim(r['category'])) AS category,
    trim(r['brand']) AS brand,
    try_cast(r['unit_price'] AS DECIMAL(10,2)) AS unit_price,
    try_to_timestamp(r['updated_at']) AS updated_at
  FROM records
)
SELECT *,
  CASE
    WHEN updated_at IS NULL OR unit_price IS NULL THEN 'malformed'
    WHEN product_id IS NULL THEN 'null_key'
  END AS reject_reason
FROM typed;

MERGE INTO {{catalog}}.{{silver}}.products AS t
USING (
  SELECT product_id, product_name, category, brand, unit_price, updated_at, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY product_id, updated_at ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_products_checked WHERE reject_reason IS NULL
  ) WHERE copy = 1
) AS s
ON t.product_id = s.product_id AND t.updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'products' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_products_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'products' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
