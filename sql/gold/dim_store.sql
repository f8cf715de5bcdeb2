-- Gold dim_store (SCD1): one row per store with its latest attributes, overwritten in place; each run looks
-- only at the stores that received versions in silver since its watermark.
-- store_sk = xxhash64(store_id): stable across reruns and engines; -1 is the unknown member.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.dim_store (
  store_sk BIGINT NOT NULL,
  store_id STRING NOT NULL,
  store_name STRING,
  city STRING,
  state STRING,
  region STRING,
  store_type STRING COMMENT 'flagship | neighborhood | outlet | online',
  manager STRING,
  updated_at TIMESTAMP NOT NULL COMMENT 'source change time of the attributes held'
) USING DELTA
CLUSTER BY (store_id)
TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.enableDeletionVectors = true);

{{watermarks_read}};

-- The stores with new versions since this task's watermark (a variable: see dim_customer.sql).
DECLARE OR REPLACE VARIABLE lhctl_dim_store_keys ARRAY<STRING>;
SET VAR lhctl_dim_store_keys = (SELECT collect_set(store_id) FROM {{changes:silver.stores}});

MERGE INTO {{catalog}}.{{gold}}.dim_store AS t
USING (
  SELECT xxhash64(store_id) AS store_sk, store_id, store_name, city, state, region, store_type, manager, updated_at
  FROM (
    SELECT v.*, row_number() OVER (PARTITION BY v.store_id ORDER BY v.updated_at DESC) AS recency
    FROM {{catalog}}.{{silver}}.stores AS v
    WHERE array_contains(lhctl_dim_store_keys, v.store_id)
  )
  WHERE recency = 1
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', NULL, NULL, 'unknown', 'unknown', NULL, TIMESTAMP'1900-01-01 00:00:00'
  FROM (SELECT 1) WHERE NOT EXISTS (SELECT 1 FROM {{catalog}}.{{gold}}.dim_store WHERE store_sk = -1)
) AS s
ON t.store_sk = s.store_sk
WHEN MATCHED AND t.updated_at <> s.updated_at THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;

{{watermarks_advance}};
