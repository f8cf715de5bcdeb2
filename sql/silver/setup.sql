-- Schemas for silver and gold, and the quarantine every silver task writes its rejects to.
-- Created once before the silver tasks so parallel tasks never race on DDL.
CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{silver}}
  COMMENT 'Typed, validated, deduplicated sources ({{env}})';

CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{gold}}
  COMMENT 'Star schema and marts ({{env}})';

-- Partitioned by source so the silver tasks' merges touch disjoint files and never conflict.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.quarantine (
  source STRING NOT NULL COMMENT 'bronze table the line came from',
  reason STRING NOT NULL COMMENT 'malformed | null_key | negative_quantity | unknown_store',
  raw_record STRING NOT NULL COMMENT 'the bronze line as landed',
  _batch_id INT,
  _source_file STRING
) USING DELTA
PARTITIONED BY (source)
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- How far each incremental task has read each of its sources: the last Change Data Feed version it
-- processed. A task moves its own rows only after its writes, so a killed run reads the same range again.
-- Partitioned by consumer so tasks running at once write disjoint files and never conflict.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{silver}}.pipeline_watermarks (
  consumer STRING NOT NULL COMMENT 'the task''s SQL file, e.g. gold/fact_sales',
  source STRING NOT NULL COMMENT '<layer>.<table> it reads',
  version BIGINT NOT NULL COMMENT 'last source version processed',
  updated_at TIMESTAMP NOT NULL
) USING DELTA
PARTITIONED BY (consumer);
