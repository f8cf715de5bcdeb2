-- Bronze {{source}}: the landed lines of {{source}} byte for byte (CSV with each file's header line,
-- which silver reads columns by, so new columns never break ingestion; or JSON lines).
-- lhctl renders this file once per landed source, as bronze/<source>.sql: one ingest task each.
-- Exactly once per landed file, found through the ingest ledger (bronze.ingested_files) rather than by
-- scanning bronze; the append is one atomic commit, and a run with nothing new commits nothing.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{bronze}}.{{source}} (
  value STRING COMMENT 'the landed line, byte for byte',
  _batch_id INT COMMENT 'landing batch, from the batch=<n> folder',
  _source_file STRING COMMENT 'landed file the line came from',
  _ingested_at TIMESTAMP COMMENT 'when bronze appended it'
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

-- Bronze appends first and the ledger records after, so a run stopped between the two leaves bronze
-- rows newer than the ledger's last entry. They are recorded here before anything is appended, and a
-- bronze table from before the ledger is recorded whole the first time. The bound is a literal by the
-- time the scan is planned, so Delta skips every bronze file but the last append's (its timestamp
-- statistics are kept to the millisecond): the check reads one batch, not the history.
DECLARE OR REPLACE VARIABLE bronze_ledgered_until TIMESTAMP DEFAULT NULL;
SET VAR bronze_ledgered_until = (
  SELECT max(ingested_at) FROM {{catalog}}.{{bronze}}.ingested_files WHERE source = '{{source}}');

DECLARE OR REPLACE VARIABLE bronze_unledgered ARRAY<STRUCT<file_path: STRING, row_count: BIGINT, ingested_at: TIMESTAMP>> DEFAULT array();
SET VAR bronze_unledgered = (
  SELECT collect_list(named_struct('file_path', _source_file, 'row_count', row_count, 'ingested_at', ingested_at))
  FROM (
    SELECT _source_file, count(*) AS row_count, max(_ingested_at) AS ingested_at
    FROM {{catalog}}.{{bronze}}.{{source}}
    WHERE _ingested_at > coalesce(bronze_ledgered_until, TIMESTAMP '1970-01-01 00:00:00')
    GROUP BY _source_file));

-- Their size and modification time are taken from the landing zone as it is now (NULL if the file is gone).
INSERT INTO {{catalog}}.{{bronze}}.ingested_files
SELECT '{{source}}', unledgered.file_path, landed.file_size, landed.file_modification_time, unledgered.row_count, unledgered.ingested_at
FROM inline(bronze_unledgered) AS unledgered
LEFT JOIN (
  SELECT DISTINCT _metadata.file_path, _metadata.file_size, _metadata.file_modification_time
  FROM {{landing:{{source}}}}
  WHERE array_contains(transform(bronze_unledgered, f -> f.file_path), _metadata.file_path)
) AS landed ON landed.file_path = unledgered.file_path;

DECLARE OR REPLACE VARIABLE bronze_known ARRAY<STRUCT<file_path: STRING, file_size: BIGINT, file_modification_time: TIMESTAMP>> DEFAULT array();
SET VAR bronze_known = (
  SELECT collect_list(named_struct('file_path', file_path, 'file_size', file_size, 'file_modification_time', file_modification_time))
  FROM {{catalog}}.{{bronze}}.ingested_files WHERE source = '{{source}}');

-- Landed files the ledger does not know by path and content: new ones, and ones changed at a known path.
-- The filter reads file metadata only, so Spark drops known files when it lists the folder and opens
-- just these.
DECLARE OR REPLACE VARIABLE bronze_landed ARRAY<STRUCT<file_path: STRING, file_size: BIGINT, file_modification_time: TIMESTAMP, row_count: BIGINT>> DEFAULT array();
SET VAR bronze_landed = (
  SELECT collect_list(named_struct('file_path', file_path, 'file_size', file_size, 'file_modification_time', file_modification_time, 'row_count', row_count))
  FROM (
    SELECT _metadata.file_path, _metadata.file_size, _metadata.file_modification_time, count_if(length(trim(value)) > 0) AS row_count
    FROM {{landing:{{source}}}}
    WHERE NOT array_contains(bronze_known, named_struct(
      'file_path', _metadata.file_path, 'file_size', _metadata.file_size, 'file_modification_time', _metadata.file_modification_time))
    GROUP BY _metadata.file_path, _metadata.file_size, _metadata.file_modification_time));

-- A file whose content changed after bronze read it is refused, not read again: bronze is the append-only
-- record of what landed, silver has already taken the old lines from its change feed, and superseding
-- them would rewrite history downstream without anyone deciding to. The task fails naming the file.
SELECT CASE WHEN count(*) > 0 THEN raise_error(concat(
    'landed file ', min_by(landed.file_path, landed.file_path), ' changed since bronze ingested it (size ',
    coalesce(CAST(min_by(known.file_size, landed.file_path) AS STRING), 'unknown'), ' → ', CAST(min_by(landed.file_size, landed.file_path) AS STRING),
    ' bytes, modified ', coalesce(CAST(min_by(known.file_modification_time, landed.file_path) AS STRING), 'unknown'), ' → ',
    CAST(min_by(landed.file_modification_time, landed.file_path) AS STRING), ')',
    CASE WHEN count(*) > 1 THEN concat(', and ', CAST(count(*) - 1 AS STRING), ' more {{source}} file(s)') ELSE '' END,
    '. Bronze keeps the lines it first read. Land new content under a new file name or batch folder',
    ' (lhctl data generate --reset names its files anew), or put the original file back as it was (same bytes, same modification time).'))
  END AS changed_files
FROM inline(bronze_landed) AS landed
JOIN {{catalog}}.{{bronze}}.ingested_files AS known
  ON known.source = '{{source}}' AND known.file_path = landed.file_path;

-- One time for the lines and their ledger rows: the ledger's latest time is where the next run's check above starts.
DECLARE OR REPLACE VARIABLE bronze_ingested_at TIMESTAMP DEFAULT current_timestamp();

INSERT INTO {{catalog}}.{{bronze}}.{{source}}
SELECT
  landed.value,
  CAST(regexp_extract(landed._metadata.file_path, 'batch=([0-9]+)', 1) AS INT),
  landed._metadata.file_path,
  bronze_ingested_at
FROM {{landing:{{source}}}} AS landed
WHERE array_contains(
    transform(bronze_landed, f -> named_struct('file_path', f.file_path, 'file_size', f.file_size, 'file_modification_time', f.file_modification_time)),
    named_struct('file_path', landed._metadata.file_path, 'file_size', landed._metadata.file_size, 'file_modification_time', landed._metadata.file_modification_time))
  AND length(trim(landed.value)) > 0;

INSERT INTO {{catalog}}.{{bronze}}.ingested_files
SELECT '{{source}}', file_path, file_size, file_modification_time, row_count, bronze_ingested_at
FROM inline(bronze_landed);
