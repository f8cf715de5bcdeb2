-- Bronze {{source}}: the landed lines of {{source}} byte for byte (CSV with each file's header line,
-- which silver reads columns by, so new columns never break ingestion; or JSON lines).
-- lhctl renders this file once per landed source, as bronze/<source>.sql: one ingest task each.
-- Exactly once per landed file: files already in the table are skipped, and the append is one atomic commit.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{bronze}}.{{source}} (
  value STRING COMMENT 'the landed line, byte for byte',
  _batch_id INT COMMENT 'landing batch, from the batch=<n> folder',
  _source_file STRING COMMENT 'landed file the line came from',
  _ingested_at TIMESTAMP COMMENT 'when bronze appended it'
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

INSERT INTO {{catalog}}.{{bronze}}.{{source}}
SELECT
  landed.value,
  CAST(regexp_extract(landed._metadata.file_path, 'batch=([0-9]+)', 1) AS INT),
  landed._metadata.file_path,
  current_timestamp()
FROM {{landing:{{source}}}} AS landed
LEFT ANTI JOIN (SELECT DISTINCT _source_file FROM {{catalog}}.{{bronze}}.{{source}}) AS ingested
  ON landed._metadata.file_path = ingested._source_file
WHERE length(trim(landed.value)) > 0;
