-- Bronze {{source}} pulled from the orders database (the profile's sources.orders_db), rendered as
-- bronze/jdbc_{{source}}.sql. Each pull appends the rows the database changed since the last one, found by
-- their change time, each row one JSON object named by column: silver reads it as it reads a landed line.
-- Exactly once per change: a pull covers (the last pull's upper bound, the newest change time now]. The
-- bound is recorded in the ingest ledger (bronze.ingested_files) and in every row's _source_file, so a run
-- stopped between the append and its ledger entry is recorded by the next run before anything is pulled.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{bronze}}.{{source}} (
  value STRING COMMENT 'the landed line, or the pulled row as JSON, byte for byte',
  _batch_id INT COMMENT 'landing batch, from the batch=<n> folder (NULL for pulled rows)',
  _source_file STRING COMMENT 'landed file the line came from, or orders_db:<table>@<upper bound> for a pull',
  _ingested_at TIMESTAMP COMMENT 'when bronze appended it'
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);

DECLARE OR REPLACE VARIABLE jdbc_ledgered_until TIMESTAMP DEFAULT NULL;
SET VAR jdbc_ledgered_until = (
  SELECT max(ingested_at) FROM {{catalog}}.{{bronze}}.ingested_files WHERE source = '{{source}}');

-- A pull bronze holds but the ledger does not (the run stopped in between): recorded from its rows, its
-- upper bound read back from their _source_file. Delta skips every bronze file but the last append's.
INSERT INTO {{catalog}}.{{bronze}}.ingested_files
SELECT '{{source}}', _source_file, CAST(NULL AS BIGINT),
  to_timestamp(regexp_extract(_source_file, '@([^@]+)$', 1), 'yyyy-MM-dd HH:mm:ss.SSSSSS'), count(*), max(_ingested_at)
FROM {{catalog}}.{{bronze}}.{{source}}
WHERE _ingested_at > coalesce(jdbc_ledgered_until, TIMESTAMP '1970-01-01 00:00:00') AND startswith(_source_file, 'orders_db:')
GROUP BY _source_file;

DECLARE OR REPLACE VARIABLE jdbc_from TIMESTAMP DEFAULT NULL;
SET VAR jdbc_from = (
  SELECT max(file_modification_time) FROM {{catalog}}.{{bronze}}.ingested_files
  WHERE source = '{{source}}' AND startswith(file_path, 'orders_db:'));

-- The upper bound is fixed before the rows are read, so rows changed while the pull runs wait for the next.
-- The filter on the change time goes to the database (JDBC predicate push-down): only new rows travel.
DECLARE OR REPLACE VARIABLE jdbc_to TIMESTAMP DEFAULT NULL;
SET VAR jdbc_to = (
  SELECT max({{orders_db_watermark}}) FROM {{orders_db:{{source}}}}
  WHERE {{orders_db_watermark}} > coalesce(jdbc_from, TIMESTAMP '1970-01-01 00:00:00'));

DECLARE OR REPLACE VARIABLE jdbc_pull STRING DEFAULT NULL;
SET VAR jdbc_pull = concat('orders_db:{{source}}@', date_format(jdbc_to, 'yyyy-MM-dd HH:mm:ss.SSSSSS'));
DECLARE OR REPLACE VARIABLE jdbc_ingested_at TIMESTAMP DEFAULT current_timestamp();

INSERT INTO {{catalog}}.{{bronze}}.{{source}}
SELECT {{orders_db_line:{{source}}}}, CAST(NULL AS INT), jdbc_pull, jdbc_ingested_at
FROM {{orders_db:{{source}}}}
WHERE jdbc_to IS NOT NULL
  AND {{orders_db_watermark}} > coalesce(jdbc_from, TIMESTAMP '1970-01-01 00:00:00')
  AND {{orders_db_watermark}} <= jdbc_to;

INSERT INTO {{catalog}}.{{bronze}}.ingested_files
SELECT '{{source}}', jdbc_pull, CAST(NULL AS BIGINT), jdbc_to, pulled, jdbc_ingested_at
FROM (
  SELECT count(*) AS pulled FROM {{catalog}}.{{bronze}}.{{source}}
  WHERE _ingested_at = jdbc_ingested_at AND _source_file = jdbc_pull)
WHERE jdbc_to IS NOT NULL AND pulled > 0;
