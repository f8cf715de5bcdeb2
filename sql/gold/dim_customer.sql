-- Gold dim_customer (SCD2). Rebuilt from the full version history in silver on every run, then merged, so the
-- result is the same whatever order versions arrived in (late versions included) and reruns change nothing.
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
TBLPROPERTIES (delta.enableChangeDataFeed = true);

MERGE INTO {{catalog}}.{{gold}}.dim_customer AS t
USING (
  WITH history AS (
    SELECT *,
      to_json(named_struct('first_name', first_name, 'last_name', last_name, 'email', email, 'phone', phone, 'street', street, 'city', city, 'state', state, 'postal_code', postal_code, 'segment', segment)) AS fingerprint
    FROM {{catalog}}.{{silver}}.customers
  ),
  starts AS (
    SELECT *, lag(fingerprint) OVER (PARTITION BY customer_id ORDER BY updated_at) AS previous_fingerprint
    FROM history
  ),
  versions AS (
    SELECT *, lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) AS next_start
    FROM starts
    WHERE previous_fingerprint IS NULL OR previous_fingerprint <> fingerprint
  )
  SELECT xxhash64(customer_id, updated_at) AS customer_sk, customer_id, first_name, last_name, email, phone, street, city, state, postal_code, segment,
    updated_at AS effective_from, next_start AS effective_to, next_start IS NULL AS is_current
  FROM versions
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', 'Unknown', NULL, NULL, NULL, NULL, NULL, NULL, 'unknown', TIMESTAMP'1900-01-01 00:00:00', NULL, true
) AS s
ON t.customer_sk = s.customer_sk
WHEN MATCHED AND (t.effective_to IS DISTINCT FROM s.effective_to OR t.is_current <> s.is_current) THEN
  UPDATE SET effective_to = s.effective_to, is_current = s.is_current
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
