-- Silver customers: one row per (customer_id, updated_at) version, typed and normalised.
-- Columns are read by the header of each landed file, so the optional loyalty_tier (from batch 3) flows in by name.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.customers (
  customer_id STRING NOT NULL,
  first_name STRING,
  last_name STRING,
  email STRING COMMENT 'lower-cased, trimmed',
  phone STRING,
  street STRING,
  city STRING,
  state STRING,
  postal_code STRING,
  segment STRING,
  loyalty_tier STRING COMMENT 'optional; appears in the source from batch 3',
  updated_at TIMESTAMP NOT NULL COMMENT 'when the source system changed the customer',
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_customers_checked AS
WITH parsed AS (
  SELECT value, _batch_id, _source_file,
    from_csv(value, 'c0 STRING, c1 STRING, c2 STRING, c3 STRING, c4 STRING, c5 STRING, c6 STRING, c7 STRING, c8 STRING, c9 STRING, c10 STRING, c11 STRING, c12 STRING, c13 STRING, c14 STRING, c15 STRING') AS cell
  FROM {{changes:bronze.customers}}
),
lines AS (
  SELECT value, _batch_id, _source_file, array(cell.*) AS cells FROM parsed
),
headers AS (
  SELECT _source_file, cells AS names FROM lines WHERE startswith(value, 'customer_id,')
),
records AS (
  SELECT l.value AS raw_record, l._batch_id, l._source_file,
    map_from_entries(filter(zip_with(h.names, l.cells, (k, v) -> named_struct('k', k, 'v', v)), e -> e.k IS NOT NULL)) AS r
  FROM lines AS l JOIN headers AS h ON l._source_file = h._source_file
  WHERE NOT startswith(l.value, 'customer_id,')
  UNION ALL
  -- Rows pulled from the orders database: one JSON object each, named by field (bronze/jdbc_customers.sql).
  SELECT value, _batch_id, _source_file, from_json(value, 'MAP<STRING, STRING>')
  FROM parsed WHERE startswith(value, '{')
),
typed AS (
  SELECT raw_record, _batch_id, _source_file,
    nullif(trim(r['customer_id']), '') AS customer_id,
    trim(r['first_name']) AS first_name,
    trim(r['last_name']) AS last_name,
    lower(trim(r['email'])) AS email,
    trim(r['phone']) AS phone,
    trim(r['street']) AS street,
    trim(r['city']) AS city,
    upper(trim(r['state'])) AS state,
    trim(r['postal_code']) AS postal_code,
    lower(trim(r['segment'])) AS segment,
    nullif(lower(trim(r['loyalty_tier'])), '') AS loyalty_tier,
    try_to_timestamp(r['updated_at']) AS updated_at
  FROM records
)
SELECT *,
  CASE
    WHEN updated_at IS NULL THEN 'malformed'
    WHEN customer_id IS NULL THEN 'null_key'
  END AS reject_reason
FROM typed;

MERGE INTO {{catalog}}.{{silver}}.customers AS t
USING (
  SELECT customer_id, first_name, last_name, email, phone, street, city, state, postal_code, segment, loyalty_tier, updated_at, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY customer_id, updated_at ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_customers_checked WHERE reject_reason IS NULL
  ) WHERE copy = 1
) AS s
ON t.customer_id = s.customer_id AND t.updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'customers' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_customers_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'customers' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
