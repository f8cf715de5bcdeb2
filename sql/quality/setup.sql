-- Quality results: one row per rule per run of a check task; the gate judges each rule's latest row.
CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{gold}};

CREATE TABLE IF NOT EXISTS {{catalog}}.{{gold}}.quality_results (
  checked_at TIMESTAMP NOT NULL,
  check_group STRING NOT NULL COMMENT 'keys | referential_integrity | scd2 | reconciliation | freshness',
  table_name STRING NOT NULL,
  rule STRING NOT NULL,
  failing_count BIGINT NOT NULL,
  sample_keys ARRAY<STRING> COMMENT 'up to 5 failing keys',
  passed BOOLEAN NOT NULL
) USING DELTA
CLUSTER BY (checked_at);
