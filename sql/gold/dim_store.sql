-- Gold dim_store (SCD1): one row per store with its latest attributes, overwritten in place.
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
TBLPROPERTIES (delta.enableChangeDataFeed = true);

MERGE INTO {{catalog}}.{{gold}}.dim_store AS t
USING (
  SELECT xxhash64(store_id) AS store_sk, store_id, store_name, city, state, region, store_type, manager, updated_at
  FROM (
    SELECT *, row_number() OVER (PARTITION BY store_id ORDER BY updated_at DESC) AS recency
    FROM {{catalog}}.{{silver}}.stores
  )
  WHERE recency = 1
  UNION ALL
  SELECT -1, 'UNKNOWN', 'Unknown', NULL, NULL, 'unknown', 'unknown', NULL, TIMESTAMP'1900-01-01 00:00:00'
) AS s
ON t.store_sk = s.store_sk
WHEN MATCHED AND t.updated_at <> s.updated_at THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *
WHEN NOT MATCHED BY SOURCE THEN DELETE;
