-- Gold fact_sales: one row per sold line, POS and online, keyed to the dimension versions valid at event_ts.
-- Each run computes only the lines that can have changed since its watermarks: new POS lines, the lines of
-- orders with new events (a cancelled order leaves), and the lines of customers, products and stores whose
-- dimension rows changed, from the first moment their mapping changed (a late version, an unknown member that
-- has since arrived). Those lines are merged; a rerun over the same range changes nothing.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.fact_sales (
  transaction_id STRING NOT NULL COMMENT 'POS transaction id or online order id',
  line_number INT NOT NULL,
  channel STRING NOT NULL COMMENT 'pos | online',
  event_ts TIMESTAMP NOT NULL,
  date_key INT NOT NULL,
  customer_sk BIGINT NOT NULL,
  product_sk BIGINT NOT NULL,
  store_sk BIGINT NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(10,2) NOT NULL,
  gross_amount DECIMAL(14,2) NOT NULL,
  discount_amount DECIMAL(14,2) NOT NULL,
  net_amount DECIMAL(14,2) NOT NULL
) USING DELTA
CLUSTER BY (date_key, store_sk)
TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.enableDeletionVectors = true);

{{watermarks_read}};

-- A query that reads a table's change feed and the table itself resolves both as the table (Delta 4.4), so
-- what the feeds say is first kept in variables, and new POS lines (from the feed) and lines that moved
-- (from silver itself) are merged by two statements.

-- Per dimension member, the first event time whose mapping may have changed: a version added or removed
-- changes it from its effective_from; a version whose end moved, from the earlier of its old and new end.
-- Store keys are stable (SCD1): only a store that appears or leaves moves lines.
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_members ARRAY<STRUCT<dimension: STRING, member_id: STRING, changed_from: TIMESTAMP>>;
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_since TIMESTAMP;
SET VAR (lhctl_fact_sales_members, lhctl_fact_sales_since) = (
  SELECT collect_list(named_struct('dimension', dimension, 'member_id', member_id, 'changed_from', changed_from)), min(changed_from)
  FROM (
    SELECT dimension, member_id, min(changed_from) AS changed_from
    FROM (
      SELECT 'customer' AS dimension, customer_id AS member_id,
        CASE WHEN _change_type IN ('insert', 'delete') THEN effective_from ELSE effective_to END AS changed_from
      FROM {{changes:gold.dim_customer}}
      UNION ALL
      SELECT 'product', product_id, CASE WHEN _change_type IN ('insert', 'delete') THEN effective_from ELSE effective_to END
      FROM {{changes:gold.dim_product}}
      UNION ALL
      SELECT 'store', store_id, TIMESTAMP'1900-01-01 00:00:00'
      FROM {{changes:gold.dim_store}} WHERE _change_type IN ('insert', 'delete')
    )
    WHERE changed_from IS NOT NULL
    GROUP BY dimension, member_id
  )
);

-- Orders with new events: placed, or cancelled (their lines leave the facts).
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_orders ARRAY<STRING>;
SET VAR lhctl_fact_sales_orders = (SELECT collect_set(order_id) FROM {{changes:silver.order_events}});

CREATE OR REPLACE TEMPORARY VIEW gold_fact_sales_new_lines AS
SELECT transaction_id, line_number, 'pos' AS channel, event_ts, customer_id, product_id, store_id,
  quantity, unit_price, discount_amount, false AS cancelled
FROM {{changes:silver.sales_transactions}}
WHERE _change_type = 'insert';

-- New POS lines; the dates they fall on, as constants, so the merge reads only fact files of those days.
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_new_first_day INT;
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_new_last_day INT;
SET VAR (lhctl_fact_sales_new_first_day, lhctl_fact_sales_new_last_day) = (
  SELECT min(CAST(date_format(event_ts, 'yyyyMMdd') AS INT)), max(CAST(date_format(event_ts, 'yyyyMMdd') AS INT)) FROM gold_fact_sales_new_lines
);

MERGE INTO {{catalog}}.{{gold}}.fact_sales AS t
USING (
  SELECT l.transaction_id, l.line_number, l.channel, l.event_ts,
    CAST(date_format(l.event_ts, 'yyyyMMdd') AS INT) AS date_key,
    coalesce(c.customer_sk, -1) AS customer_sk,
    coalesce(p.product_sk, -1) AS product_sk,
    coalesce(s.store_sk, -1) AS store_sk,
    l.quantity, l.unit_price,
    CAST(l.quantity * l.unit_price AS DECIMAL(14,2)) AS gross_amount,
    CAST(l.discount_amount AS DECIMAL(14,2)) AS discount_amount,
    CAST(l.quantity * l.unit_price - l.discount_amount AS DECIMAL(14,2)) AS net_amount,
    l.cancelled
  FROM gold_fact_sales_new_lines AS l
  LEFT JOIN {{catalog}}.{{gold}}.dim_customer AS c
    ON c.customer_id = l.customer_id AND l.event_ts >= c.effective_from AND (c.effective_to IS NULL OR l.event_ts < c.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_product AS p
    ON p.product_id = l.product_id AND l.event_ts >= p.effective_from AND (p.effective_to IS NULL OR l.event_ts < p.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_store AS s
    ON s.store_id = l.store_id
) AS s
ON t.date_key BETWEEN lhctl_fact_sales_new_first_day AND lhctl_fact_sales_new_last_day
  AND t.date_key = s.date_key AND t.transaction_id = s.transaction_id AND t.line_number = s.line_number AND t.channel = s.channel
WHEN MATCHED AND s.cancelled THEN DELETE
WHEN MATCHED AND (t.customer_sk <> s.customer_sk OR t.product_sk <> s.product_sk OR t.store_sk <> s.store_sk
  OR t.event_ts <> s.event_ts OR t.quantity <> s.quantity OR t.net_amount <> s.net_amount) THEN
  UPDATE SET customer_sk = s.customer_sk, product_sk = s.product_sk, store_sk = s.store_sk, event_ts = s.event_ts,
    quantity = s.quantity, unit_price = s.unit_price, gross_amount = s.gross_amount, discount_amount = s.discount_amount, net_amount = s.net_amount
WHEN NOT MATCHED AND NOT s.cancelled THEN
  INSERT (transaction_id, line_number, channel, event_ts, date_key, customer_sk, product_sk, store_sk, quantity, unit_price, gross_amount, discount_amount, net_amount)
  VALUES (s.transaction_id, s.line_number, s.channel, s.event_ts, s.date_key, s.customer_sk, s.product_sk, s.store_sk, s.quantity, s.unit_price, s.gross_amount, s.discount_amount, s.net_amount);

-- Lines whose dimension mapping may have moved (event time at or after the member's change; the constant
-- bound lets the scans skip files of older events), and every line of the orders with new events.
CREATE OR REPLACE TEMPORARY VIEW gold_fact_sales_moved_lines AS
WITH members AS (
  SELECT m.* FROM (SELECT explode(lhctl_fact_sales_members) AS m)
),
pos_lines AS (
  SELECT DISTINCT l.transaction_id, l.line_number, l.event_ts, l.customer_id, l.product_id, l.store_id, l.quantity, l.unit_price, l.discount_amount
  FROM {{catalog}}.{{silver}}.sales_transactions AS l
  JOIN members AS m ON l.event_ts >= m.changed_from AND (
    (m.dimension = 'customer' AND l.customer_id = m.member_id)
    OR (m.dimension = 'product' AND l.product_id = m.member_id)
    OR (m.dimension = 'store' AND l.store_id = m.member_id))
  WHERE l.event_ts >= lhctl_fact_sales_since
),
placed AS (
  SELECT order_id, order_ts, customer_id, items
  FROM {{catalog}}.{{silver}}.order_events
  WHERE status = 'placed'
),
affected_orders AS (
  SELECT explode(lhctl_fact_sales_orders) AS order_id
  UNION
  SELECT o.order_id
  FROM (SELECT order_id, order_ts, customer_id, explode(items.product_id) AS product_id FROM placed WHERE order_ts >= lhctl_fact_sales_since) AS o
  JOIN members AS m ON o.order_ts >= m.changed_from AND (
    (m.dimension = 'customer' AND o.customer_id = m.member_id)
    OR (m.dimension = 'product' AND o.product_id = m.member_id)
    OR (m.dimension = 'store' AND m.member_id = 'WEB'))
),
order_status AS (
  SELECT e.order_id, max_by(e.status, e.status_ts) AS current_status
  FROM {{catalog}}.{{silver}}.order_events AS e LEFT SEMI JOIN affected_orders AS a ON e.order_id = a.order_id
  GROUP BY e.order_id
)
SELECT transaction_id, line_number, 'pos' AS channel, event_ts, customer_id, product_id, store_id,
  quantity, unit_price, discount_amount, false AS cancelled
FROM pos_lines
UNION ALL
SELECT o.order_id, item.line_number, 'online', o.order_ts, o.customer_id, item.product_id, 'WEB',
  item.quantity, item.unit_price, coalesce(item.discount_amount, 0), st.current_status = 'cancelled'
FROM placed AS o
JOIN order_status AS st ON st.order_id = o.order_id
LATERAL VIEW explode(o.items) AS item;

-- The moved lines' dates, likewise.
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_moved_first_day INT;
DECLARE OR REPLACE VARIABLE lhctl_fact_sales_moved_last_day INT;
SET VAR (lhctl_fact_sales_moved_first_day, lhctl_fact_sales_moved_last_day) = (
  SELECT min(CAST(date_format(event_ts, 'yyyyMMdd') AS INT)), max(CAST(date_format(event_ts, 'yyyyMMdd') AS INT)) FROM gold_fact_sales_moved_lines
);

MERGE INTO {{catalog}}.{{gold}}.fact_sales AS t
USING (
  SELECT l.transaction_id, l.line_number, l.channel, l.event_ts,
    CAST(date_format(l.event_ts, 'yyyyMMdd') AS INT) AS date_key,
    coalesce(c.customer_sk, -1) AS customer_sk,
    coalesce(p.product_sk, -1) AS product_sk,
    coalesce(s.store_sk, -1) AS store_sk,
    l.quantity, l.unit_price,
    CAST(l.quantity * l.unit_price AS DECIMAL(14,2)) AS gross_amount,
    CAST(l.discount_amount AS DECIMAL(14,2)) AS discount_amount,
    CAST(l.quantity * l.unit_price - l.discount_amount AS DECIMAL(14,2)) AS net_amount,
    l.cancelled
  FROM gold_fact_sales_moved_lines AS l
  LEFT JOIN {{catalog}}.{{gold}}.dim_customer AS c
    ON c.customer_id = l.customer_id AND l.event_ts >= c.effective_from AND (c.effective_to IS NULL OR l.event_ts < c.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_product AS p
    ON p.product_id = l.product_id AND l.event_ts >= p.effective_from AND (p.effective_to IS NULL OR l.event_ts < p.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_store AS s
    ON s.store_id = l.store_id
) AS s
ON t.date_key BETWEEN lhctl_fact_sales_moved_first_day AND lhctl_fact_sales_moved_last_day
  AND t.date_key = s.date_key AND t.transaction_id = s.transaction_id AND t.line_number = s.line_number AND t.channel = s.channel
WHEN MATCHED AND s.cancelled THEN DELETE
WHEN MATCHED AND (t.customer_sk <> s.customer_sk OR t.product_sk <> s.product_sk OR t.store_sk <> s.store_sk
  OR t.event_ts <> s.event_ts OR t.quantity <> s.quantity OR t.net_amount <> s.net_amount) THEN
  UPDATE SET customer_sk = s.customer_sk, product_sk = s.product_sk, store_sk = s.store_sk, event_ts = s.event_ts,
    quantity = s.quantity, unit_price = s.unit_price, gross_amount = s.gross_amount, discount_amount = s.discount_amount, net_amount = s.net_amount
WHEN NOT MATCHED AND NOT s.cancelled THEN
  INSERT (transaction_id, line_number, channel, event_ts, date_key, customer_sk, product_sk, store_sk, quantity, unit_price, gross_amount, discount_amount, net_amount)
  VALUES (s.transaction_id, s.line_number, s.channel, s.event_ts, s.date_key, s.customer_sk, s.product_sk, s.store_sk, s.quantity, s.unit_price, s.gross_amount, s.discount_amount, s.net_amount);

{{watermarks_advance}};
