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
