-- Silver POS sales: one row per sold line (transaction_id, line_number). A transaction is accepted or
-- quarantined whole, so a basket is never half in the facts. payment_method is optional (from batch 3).
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.sales_transactions (
  transaction_id STRING NOT NULL,
  line_number INT NOT NULL,
  store_id STRING NOT NULL,
  register_id INT,
  customer_id STRING COMMENT 'NULL for anonymous sales',
  event_ts TIMESTAMP NOT NULL,
  product_id STRING NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  discount_amount DECIMAL(10,2) NOT NULL,
  payment_method STRING COMMENT 'optional; appears in the source from batch 3',
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_sales_transactions_checked AS
WITH parsed AS (
  SELECT value AS raw_record, _batch_id, _source_file,
    try_parse_json(value) IS NULL AS unparseable,
    from_json(value, 'transaction_id STRING, store_id STRING, register_id INT, customer_id STRING, event_ts TIMESTAMP, payment_method STRING, items ARRAY<STRUCT<line_number: INT, product_id: STRING, quantity: INT, unit_price: DECIMAL(10,2), discount_amount: DECIMAL(10,2)>>') AS e
  FROM {{changes:bronze.sales_transactions}}
),
known_stores AS (
  SELECT DISTINCT store_id FROM {{catalog}}.{{silver}}.stores
)
SELECT raw_record, _batch_id, _source_file,
  nullif(trim(e.transaction_id), '') AS transaction_id,
  upper(trim(e.store_id)) AS store_id,
  e.register_id,
  nullif(trim(e.customer_id), '') AS customer_id,
  e.event_ts,
  lower(trim(e.payment_method)) AS payment_method,
  e.items,
  CASE
    WHEN unparseable OR e.event_ts IS NULL OR e.items IS NULL OR size(e.items) = 0
      OR exists(e.items, i -> i.product_id IS NULL OR i.quantity IS NULL OR i.unit_price IS NULL) THEN 'malformed'
    WHEN nullif(trim(e.transaction_id), '') IS NULL OR e.store_id IS NULL THEN 'null_key'
    WHEN exists(e.items, i -> i.quantity < 0) THEN 'negative_quantity'
    WHEN known_stores.store_id IS NULL THEN 'unknown_store'
  END AS reject_reason
FROM parsed LEFT JOIN known_stores ON upper(trim(parsed.e.store_id)) = known_stores.store_id;

MERGE INTO {{catalog}}.{{silver}}.sales_transactions AS t
USING (
  SELECT transaction_id, item.line_number, store_id, register_id, customer_id, event_ts, item.product_id, item.quantity,
    item.unit_price, coalesce(item.discount_amount, 0) AS discount_amount, payment_method, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY transaction_id ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_sales_transactions_checked WHERE reject_reason IS NULL
  ) LATERAL VIEW explode(items) AS item
  WHERE copy = 1
) AS s
-- A transaction already in silver keeps the lines it came with: a copy landed later adds none of its lines.
ON t.transaction_id = s.transaction_id
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'sales_transactions' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_sales_transactions_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'sales_transactions' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
