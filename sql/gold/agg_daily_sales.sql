-- Gold agg_daily_sales: the BI mart, per day, store, product category (of the version sold) and channel.
-- Recomputed from fact_sales and merged, so only days whose figures moved are rewritten.
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
CLUSTER BY (date_key, store_sk);

MERGE INTO {{catalog}}.{{gold}}.agg_daily_sales AS t
USING (
  SELECT f.date_key, f.store_sk, coalesce(p.category, 'unknown') AS category, f.channel,
    count(DISTINCT f.transaction_id) AS transactions,
    CAST(sum(f.quantity) AS BIGINT) AS units,
    CAST(sum(f.gross_amount) AS DECIMAL(18,2)) AS gross_amount,
    CAST(sum(f.discount_amount) AS DECIMAL(18,2)) AS discount_amount,
    CAST(sum(f.net_amount) AS DECIMAL(18,2)) AS net_amount
  FROM {{catalog}}.{{gold}}.fact_sales AS f
  LEFT JOIN {{catalog}}.{{gold}}.dim_product AS p ON p.product_sk = f.product_sk
  GROUP BY f.date_key, f.store_sk, coalesce(p.category, 'unknown'), f.channel
) AS s
ON t.date_key = s.date_key AND t.store_sk = s.store_sk AND t.category = s.category AND t.channel = s.channel
WHEN MATCHED AND (t.transactions <> s.transactions OR t.units <> s.units OR t.gross_amount <> s.gross_amount
  OR t.discount_amount <> s.discount_amount OR t.net_amount <> s.net_amount) THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
