-- Silver order events: one row per (order_id, status); the `placed` event carries the basket.
-- The order's current status is its latest event; gold drops cancelled orders from the facts.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.order_events (
  order_id STRING NOT NULL,
  status STRING NOT NULL COMMENT 'placed | shipped | delivered | cancelled',
  status_ts TIMESTAMP NOT NULL,
  customer_id STRING COMMENT 'on placed events',
  order_ts TIMESTAMP COMMENT 'on placed events: when the customer ordered',
  items ARRAY<STRUCT<line_number: INT, product_id: STRING, quantity: INT, unit_price: DECIMAL(10,2), discount_amount: DECIMAL(10,2)>>,
  _batch_id INT,
  _source_file STRING
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Only the bronze lines added since this task last ran (see src/sql/watermarks.ts).
{{watermarks_read}};

CREATE OR REPLACE TEMPORARY VIEW silver_orders_checked AS
WITH parsed AS (
  SELECT value AS raw_record, _batch_id, _source_file,
    try_parse_json(value) IS NULL AS unparseable,
    from_json(value, 'order_id STRING, status STRING, status_ts TIMESTAMP, customer_id STRING, order_ts TIMESTAMP, items ARRAY<STRUCT<line_number: INT, product_id: STRING, quantity: INT, unit_price: DECIMAL(10,2), discount_amount: DECIMAL(10,2)>>') AS e
  FROM {{changes:bronze.orders}}
)
SELECT raw_record, _batch_id, _source_file,
  nullif(trim(e.order_id), '') AS order_id,
  lower(trim(e.status)) AS status,
  e.status_ts,
  nullif(trim(e.customer_id), '') AS customer_id,
  e.order_ts,
  e.items,
  CASE
    WHEN unparseable OR e.status IS NULL OR e.status_ts IS NULL
      OR (lower(e.status) = 'placed' AND (e.order_ts IS NULL OR e.items IS NULL OR size(e.items) = 0)) THEN 'malformed'
    WHEN nullif(trim(e.order_id), '') IS NULL THEN 'null_key'
    WHEN exists(e.items, i -> i.quantity < 0) THEN 'negative_quantity'
  END AS reject_reason
FROM parsed;

MERGE INTO {{catalog}}.{{silver}}.order_events AS t
USING (
  SELECT order_id, status, status_ts, customer_id, order_ts, items, _batch_id, _source_file
  FROM (
    SELECT *, row_number() OVER (PARTITION BY order_id, status ORDER BY _batch_id, _source_file, raw_record) AS copy
    FROM silver_orders_checked WHERE reject_reason IS NULL
  ) WHERE copy = 1
) AS s
ON t.order_id = s.order_id AND t.status = s.status
WHEN NOT MATCHED THEN INSERT *;

MERGE INTO {{catalog}}.{{silver}}.quarantine AS t
USING (
  SELECT DISTINCT 'orders' AS source, reject_reason AS reason, raw_record, _batch_id, _source_file
  FROM silver_orders_checked WHERE reject_reason IS NOT NULL
) AS s
ON t.source = 'orders' AND t._source_file = s._source_file AND t.raw_record = s.raw_record AND t.reason = s.reason
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
