-- Quality results: the current outcome of every rule, one row each. A check rewrites a row only when its
-- outcome changes, so re-running the checks on unchanged data changes nothing; the history of outcomes
-- is the table's Change Data Feed. Partitioned by check group so the parallel check tasks never conflict.
CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{gold}};

CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.quality_results (
  check_group STRING NOT NULL COMMENT 'keys | referential_integrity | scd2 | reconciliation | freshness',
  table_name STRING NOT NULL,
  rule STRING NOT NULL,
  failing_count BIGINT NOT NULL,
  sample_keys ARRAY<STRING> COMMENT 'up to 5 failing keys',
  passed BOOLEAN NOT NULL,
  changed_at TIMESTAMP NOT NULL COMMENT 'when the check last found a different outcome'
) USING DELTA
PARTITIONED BY (check_group)
TBLPROPERTIES (delta.enableChangeDataFeed = true);
