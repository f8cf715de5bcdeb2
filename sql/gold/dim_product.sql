-- Gold dim_product (SCD2). Each run rebuilds the chains of the products that received versions since the last
-- run (from their whole history in silver) and merges them, so the result is the same whatever order versions
-- arrived in (a late version rebuilds its key's chain, nothing else) and a rerun changes nothing.
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
TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.enableDeletionVectors = true);

{{watermarks_read}};

-- The products with new versions in silver since this task's watermark. Kept in a variable: a query that
-- reads a table's change feed and the table itself resolves both as the table (Delta 4.4), so none does.
DECLARE OR REPLACE VARIABLE lhctl_dim_product_keys ARRAY<STRING>;
SET VAR lhctl_dim_product_keys = (SELECT collect_set(product_id) FROM {{changes:silver.products}});

MERGE INTO {{catalog}}.{{gold}}.dim_product AS t
USING (
  WITH history AS (
    SELECT v.*,
      to_json(named_struct('product_name', product_name, 'category', category, 'brand', brand, 'unit_price', unit_price)) AS fingerprint
    FROM {{catalog}}.{{silver}}.products AS v
    WHERE array_contains(lhctl_dim_product_keys, v.product_id)
  ),
  starts AS (
    SELECT *, lag(fingerprint) OVER (PARTITION BY product_id ORDER BY updated_at) AS previous_fingerprint
    FROM history
  ),
  versions AS (
    SELECT *, lead(updated_at) OVER (PARTITION BY product_id ORDER BY updated_at) AS next_start
    FROM starts
    WHERE previous_fingerprint IS NULL OR previous_fingerprint <> fingerprint
  ),
  rebuilt AS (
    SELECT xxhash64(product_id, updated_at) AS product_sk, product_id, product_name, category, brand, unit_price,
      updated_at AS effective_from, next_start AS effective_to, next_start IS NULL AS is_current
    FROM versions
  ),
  -- Versions of a rebuilt key that its new chain no longer has (a late version merged two apart, say).
  dropped AS (
    SELECT d.product_sk, d.product_id, NULL, NULL, NULL, NULL, d.effective_from, d.effective_to, d.is_current
    FROM {{catalog}}.{{gold}}.dim_product AS d
    LEFT ANTI JOIN rebuilt AS r ON d.product_sk = r.product_sk
    WHERE array_contains(lhctl_dim_product_keys, d.product_id)
  )
  SELECT *, false AS dropped FROM rebuilt
  UNION ALL
  SELECT *, true FROM dropped
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', 'unknown', 'Unknown', NULL, TIMESTAMP'1900-01-01 00:00:00', NULL, true, false
  FROM (SELECT 1) WHERE NOT EXISTS (SELECT 1 FROM {{catalog}}.{{gold}}.dim_product WHERE product_sk = -1)
) AS s
ON t.product_sk = s.product_sk
WHEN MATCHED AND s.dropped THEN DELETE
WHEN MATCHED AND (t.effective_to IS DISTINCT FROM s.effective_to OR t.is_current <> s.is_current) THEN
  UPDATE SET effective_to = s.effective_to, is_current = s.is_current
WHEN NOT MATCHED AND NOT s.dropped THEN INSERT (product_sk, product_id, product_name, category, brand, unit_price, effective_from, effective_to, is_current) VALUES (s.product_sk, s.product_id, s.product_name, s.category, s.brand, s.unit_price, s.effective_from, s.effective_to, s.is_current);

{{watermarks_advance}};
