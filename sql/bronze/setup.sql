-- Bronze keeps every landed line as it arrived: one table per source, created here once so the
-- ingest tasks can run in parallel without racing on the schema.
CREATE SCHEMA IF NOT EXISTS {{catalog}}.{{bronze}}
  COMMENT 'Raw landed lines, one table per source ({{env}})';

-- The ingest ledger: one row per landed file bronze holds, known by path and content (size and
-- modification time), so an ingest finds new files without scanning bronze and notices a changed one.
-- Tasks only ever append to it, each its own source's rows, so tasks running at once never conflict.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{bronze}}.ingested_files (
  source STRING NOT NULL COMMENT 'landed source, e.g. sales_transactions',
  file_path STRING NOT NULL COMMENT 'the landed file, as bronze names it in _source_file',
  file_size BIGINT COMMENT 'bytes when ingested; NULL when recorded from bronze after the file was gone',
  file_modification_time TIMESTAMP COMMENT 'modification time when ingested; NULL as file_size; for a pull from the orders database, its upper bound',
  row_count BIGINT COMMENT 'lines bronze appended from the file',
  ingested_at TIMESTAMP NOT NULL COMMENT 'the _ingested_at of those lines in bronze'
) USING DELTA
COMMENT 'Landed files bronze holds, by path and content; written by the ingest tasks'
TBLPROPERTIES (delta.autoOptimize.autoCompact = true);
