-- Gold fact_sales: one row per sold line, POS and online, keyed to the dimension versions valid at event_ts.
-- Recomputed from silver and merged: lines whose keys changed (an unknown customer that has since arrived,
-- a dimension version that landed late) are re-pointed, cancelled orders leave, reruns change nothing.
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
TBLPROPERTIES (delta.enableChangeDataFeed = true);

MERGE INTO {{catalog}}.{{gold}}.fact_sales AS t
USING (
  WITH order_status AS (
    SELECT order_id, max_by(status, status_ts) AS current_status
    FROM {{catalog}}.{{silver}}.order_events
    GROUP BY order_id
  ),
  online_lines AS (
    SELECT o.order_id AS transaction_id, item.line_number, 'online' AS channel, o.order_ts AS event_ts,
      o.customer_id, item.product_id, 'WEB' AS store_id, item.quantity, item.unit_price,
      coalesce(item.discount_amount, 0) AS discount_amount
    FROM {{catalog}}.{{silver}}.order_events AS o
    JOIN order_status AS st ON st.order_id = o.order_id AND st.current_status <> 'cancelled'
    LATERAL VIEW explode(o.items) AS item
    WHERE o.status = 'placed'
  ),
  sold_lines AS (
    SELECT transaction_id, line_number, 'pos' AS channel, event_ts, customer_id, product_id, store_id,
      quantity, unit_price, discount_amount
    FROM {{catalog}}.{{silver}}.sales_transactions
    UNION ALL
    SELECT * FROM online_lines
  )
  SELECT l.transaction_id, l.line_number, l.channel, l.event_ts,
    CAST(date_format(l.event_ts, 'yyyyMMdd') AS INT) AS date_key,
    coalesce(c.customer_sk, -1) AS customer_sk,
    coalesce(p.product_sk, -1) AS product_sk,
    coalesce(s.store_sk, -1) AS store_sk,
    l.quantity, l.unit_price,
    CAST(l.quantity * l.unit_price AS DECIMAL(14,2)) AS gross_amount,
    CAST(l.discount_amount AS DECIMAL(14,2)) AS discount_amount,
    CAST(l.quantity * l.unit_price - l.discount_amount AS DECIMAL(14,2)) AS net_amount
  FROM sold_lines AS l
  LEFT JOIN {{catalog}}.{{gold}}.dim_customer AS c
    ON c.customer_id = l.customer_id AND l.event_ts >= c.effective_from AND (c.effective_to IS NULL OR l.event_ts < c.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_product AS p
    ON p.product_id = l.product_id AND l.event_ts >= p.effective_from AND (p.effective_to IS NULL OR l.event_ts < p.effective_to)
  LEFT JOIN {{catalog}}.{{gold}}.dim_store AS s
    ON s.store_id = l.store_id
) AS s
ON t.transaction_id = s.transaction_id AND t.line_number = s.line_number AND t.channel = s.channel
WHEN MATCHED AND (t.customer_sk <> s.customer_sk OR t.product_sk <> s.product_sk OR t.store_sk <> s.store_sk
  OR t.event_ts <> s.event_ts OR t.quantity <> s.quantity OR t.net_amount <> s.net_amount) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
