-- Bronze keeps every landed line as it arrived: one table per source, created here once so the
-- ingest tasks can run in parallel without racing on the schema.
CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{bronze}}
  COMMENT 'Raw landed lines, one table per source ({{env}})';
