-- Gold agg_daily_sales: the BI mart, per day, store, product category (of the version sold) and channel.
-- Each run recomputes only the days on which fact_sales changed since its watermark, and merges them.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.agg_daily_sales (
  date_key INT NOT NULL,
  store_sk BIGINT NOT NULL,
  category STRING NOT NULL,
  channel STRING NOT NULL,
  transactions BIGINT NOT NULL COMMENT 'distinct transactions / orders',
  units BIGINT NOT NULL,
  gross_amount DECIMAL(18,2) NOT NULL,
  discount_amount DECIMAL(18,2) NOT NULL,
  net_amount DECIMAL(18,2) NOT NULL
) USING DELTA
CLUSTER BY (date_key, store_sk)
TBLPROPERTIES (delta.enableDeletionVectors = true);

{{watermarks_read}};

-- The days fact_sales changed on (a variable: see dim_customer.sql), and their span as constants, so the
-- reads of fact_sales and of this table skip other days' files.
DECLARE OR REPLACE VARIABLE lhctl_agg_daily_sales_days ARRAY<INT>;
DECLARE OR REPLACE VARIABLE lhctl_agg_daily_sales_first_day INT;
DECLARE OR REPLACE VARIABLE lhctl_agg_daily_sales_last_day INT;
SET VAR (lhctl_agg_daily_sales_days, lhctl_agg_daily_sales_first_day, lhctl_agg_daily_sales_last_day) =
  (SELECT collect_set(date_key), min(date_key), max(date_key) FROM {{changes:gold.fact_sales}});

MERGE INTO {{catalog}}.{{gold}}.agg_daily_sales AS t
USING (
  WITH fresh AS (
    SELECT f.date_key, f.store_sk, coalesce(p.category, 'unknown') AS category, f.channel,
      count(DISTINCT f.transaction_id) AS transactions,
      CAST(sum(f.quantity) AS BIGINT) AS units,
      CAST(sum(f.gross_amount) AS DECIMAL(18,2)) AS gross_amount,
      CAST(sum(f.discount_amount) AS DECIMAL(18,2)) AS discount_amount,
      CAST(sum(f.net_amount) AS DECIMAL(18,2)) AS net_amount
    FROM {{catalog}}.{{gold}}.fact_sales AS f
    LEFT JOIN {{catalog}}.{{gold}}.dim_product AS p ON p.product_sk = f.product_sk
    WHERE f.date_key BETWEEN lhctl_agg_daily_sales_first_day AND lhctl_agg_daily_sales_last_day
      AND array_contains(lhctl_agg_daily_sales_days, f.date_key)
    GROUP BY f.date_key, f.store_sk, coalesce(p.category, 'unknown'), f.channel
  ),
  -- Groups of a changed day that have no sales left (every line of the group cancelled).
  emptied AS (
    SELECT a.date_key, a.store_sk, a.category, a.channel
    FROM {{catalog}}.{{gold}}.agg_daily_sales AS a
    LEFT ANTI JOIN fresh AS r ON a.date_key = r.date_key AND a.store_sk = r.store_sk AND a.category = r.category AND a.channel = r.channel
    WHERE a.date_key BETWEEN lhctl_agg_daily_sales_first_day AND lhctl_agg_daily_sales_last_day
      AND array_contains(lhctl_agg_daily_sales_days, a.date_key)
  )
  SELECT *, false AS emptied FROM fresh
  UNION ALL
  SELECT date_key, store_sk, category, channel, NULL, NULL, NULL, NULL, NULL, true FROM emptied
) AS s
ON t.date_key BETWEEN lhctl_agg_daily_sales_first_day AND lhctl_agg_daily_sales_last_day
  AND t.date_key = s.date_key AND t.store_sk = s.store_sk AND t.category = s.category AND t.channel = s.channel
WHEN MATCHED AND s.emptied THEN DELETE
WHEN MATCHED AND (t.transactions <> s.transactions OR t.units <> s.units OR t.gross_amount <> s.gross_amount
  OR t.discount_amount <> s.discount_amount OR t.net_amount <> s.net_amount) THEN
  UPDATE SET transactions = s.transactions, units = s.units, gross_amount = s.gross_amount, discount_amount = s.discount_amount, net_amount = s.net_amount
WHEN NOT MATCHED AND NOT s.emptied THEN
  INSERT (date_key, store_sk, category, channel, transactions, units, gross_amount, discount_amount, net_amount)
  VALUES (s.date_key, s.store_sk, s.category, s.channel, s.transactions, s.units, s.gross_amount, s.discount_amount, s.net_amount);

{{watermarks_advance}};
