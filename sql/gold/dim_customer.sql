-- Gold dim_customer (SCD2). Each run rebuilds the chains of the customers that received versions since the last
-- run (from their whole history in silver) and merges them, so the result is the same whatever order versions
-- arrived in (a late version rebuilds its key's chain, nothing else) and a rerun changes nothing.
-- A version starts when an attribute differs from the previous one; a re-sent identical row starts none.
-- customer_sk = xxhash64(customer_id, effective_from): stable across reruns and engines, no identity column needed.
-- customer_sk -1 is the unknown member that facts point at until the real row arrives.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.dim_customer (
  customer_sk BIGINT NOT NULL,
  customer_id STRING NOT NULL,
  first_name STRING,
  last_name STRING,
  email STRING,
  phone STRING,
  street STRING,
  city STRING,
  state STRING,
  postal_code STRING,
  segment STRING,
  effective_from TIMESTAMP NOT NULL COMMENT 'source change time of this version',
  effective_to TIMESTAMP COMMENT 'effective_from of the next version; NULL on the current row',
  is_current BOOLEAN NOT NULL
) USING DELTA
CLUSTER BY (customer_id)
TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.enableDeletionVectors = true);

{{watermarks_read}};

-- The customers with new versions in silver since this task's watermark. Kept in a variable: a query that
-- reads a table's change feed and the table itself resolves both as the table (Delta 4.4), so none does.
DECLARE OR REPLACE VARIABLE lhctl_dim_customer_keys ARRAY<STRING>;
SET VAR lhctl_dim_customer_keys = (SELECT collect_set(customer_id) FROM {{changes:silver.customers}});

MERGE INTO {{catalog}}.{{gold}}.dim_customer AS t
USING (
  WITH history AS (
    SELECT v.*,
      to_json(named_struct('first_name', first_name, 'last_name', last_name, 'email', email, 'phone', phone, 'street', street, 'city', city, 'state', state, 'postal_code', postal_code, 'segment', segment)) AS fingerprint
    FROM {{catalog}}.{{silver}}.customers AS v
    WHERE array_contains(lhctl_dim_customer_keys, v.customer_id)
  ),
  starts AS (
    SELECT *, lag(fingerprint) OVER (PARTITION BY customer_id ORDER BY updated_at) AS previous_fingerprint
    FROM history
  ),
  versions AS (
    SELECT *, lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) AS next_start
    FROM starts
    WHERE previous_fingerprint IS NULL OR previous_fingerprint <> fingerprint
  ),
  rebuilt AS (
    SELECT xxhash64(customer_id, updated_at) AS customer_sk, customer_id, first_name, last_name, email, phone, street, city, state, postal_code, segment,
      updated_at AS effective_from, next_start AS effective_to, next_start IS NULL AS is_current
    FROM versions
  ),
  -- Versions of a rebuilt key that its new chain no longer has (a late version merged two apart, say).
  dropped AS (
    SELECT d.customer_sk, d.customer_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, d.effective_from, d.effective_to, d.is_current
    FROM {{catalog}}.{{gold}}.dim_customer AS d
    LEFT ANTI JOIN rebuilt AS r ON d.customer_sk = r.customer_sk
    WHERE array_contains(lhctl_dim_customer_keys, d.customer_id)
  )
  SELECT *, false AS dropped FROM rebuilt
  UNION ALL
  SELECT *, true FROM dropped
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', 'Unknown', NULL, NULL, NULL, NULL, NULL, NULL, 'unknown', TIMESTAMP'1900-01-01 00:00:00', NULL, true, false
  FROM (SELECT 1) WHERE NOT EXISTS (SELECT 1 FROM {{catalog}}.{{gold}}.dim_customer WHERE customer_sk = -1)
) AS s
ON t.customer_sk = s.customer_sk
WHEN MATCHED AND s.dropped THEN DELETE
WHEN MATCHED AND (t.effective_to IS DISTINCT FROM s.effective_to OR t.is_current <> s.is_current) THEN
  UPDATE SET effective_to = s.effective_to, is_current = s.is_current
WHEN NOT MATCHED AND NOT s.dropped THEN INSERT (customer_sk, customer_id, first_name, last_name, email, phone, street, city, state, postal_code, segment, effective_from, effective_to, is_current) VALUES (s.customer_sk, s.customer_id, s.first_name, s.last_name, s.email, s.phone, s.street, s.city, s.state, s.postal_code, s.segment, s.effective_from, s.effective_to, s.is_current);

{{watermarks_advance}};
