-- Gold dim_product (SCD2). Rebuilt from the full version history in silver on every run, then merged, so the
-- result is the same whatever order versions arrived in (late versions included) and reruns change nothing.
-- A version starts when an attribute differs from the previous one; a re-sent identical row starts none.
-- product_sk = xxhash64(product_id, effective_from): stable across reruns and engines, no identity column needed.
-- product_sk -1 is the unknown member that facts point at until the real row arrives.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.dim_product (
  product_sk BIGINT NOT NULL,
  product_id STRING NOT NULL,
  product_name STRING,
  category STRING,
  brand STRING,
  unit_price DECIMAL(10,2) COMMENT 'list price of this version',
  effective_from TIMESTAMP NOT NULL COMMENT 'source change time of this version',
  effective_to TIMESTAMP COMMENT 'effective_from of the next version; NULL on the current row',
  is_current BOOLEAN NOT NULL
) USING DELTA
CLUSTER BY (product_id)
TBLPROPERTIES (delta.enableChangeDataFeed = true);

MERGE INTO {{catalog}}.{{gold}}.dim_product AS t
USING (
  WITH history AS (
    SELECT *,
      to_json(named_struct('product_name', product_name, 'category', category, 'brand', brand, 'unit_price', unit_price)) AS fingerprint
    FROM {{catalog}}.{{silver}}.products
  ),
  starts AS (
    SELECT *, lag(fingerprint) OVER (PARTITION BY product_id ORDER BY updated_at) AS previous_fingerprint
    FROM history
  ),
  versions AS (
    SELECT *, lead(updated_at) OVER (PARTITION BY product_id ORDER BY updated_at) AS next_start
    FROM starts
    WHERE previous_fingerprint IS NULL OR previous_fingerprint <> fingerprint
  )
  SELECT xxhash64(product_id, updated_at) AS product_sk, product_id, product_name, category, brand, unit_price,
    updated_at AS effective_from, next_start AS effective_to, next_start IS NULL AS is_current
  FROM versions
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', 'unknown', 'Unknown', NULL, TIMESTAMP'1900-01-01 00:00:00', NULL, true
) AS s
ON t.product_sk = s.product_sk
WHEN MATCHED AND (t.effective_to IS DISTINCT FROM s.effective_to OR t.is_current <> s.is_current) THEN
  UPDATE SET effective_to = s.effective_to, is_current = s.is_current
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
