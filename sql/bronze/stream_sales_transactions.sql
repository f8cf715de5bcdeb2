-- Bronze sales_transactions from Kafka: the table the streaming query appends to, the same table the
-- landed files go to (silver reads both alike). lhctl runs this file, then the query itself: POS events
-- from the env's topic, exactly once per offset, checkpointed per env (src/pipelines/streams.ts). As a job
-- task the query processes what the topic holds and ends; `lhctl stream start` keeps it running.
CREATE TABLE IF NOT EXISTS {{catalog}}.{{bronze}}.sales_transactions (
  value STRING COMMENT 'the event, byte for byte',
  _batch_id INT COMMENT 'landing batch, from the record''s batch header (NULL from other producers)',
  _source_file STRING COMMENT 'kafka:<topic>/<partition>@<offset> (or the landed file the line came from)',
  _ingested_at TIMESTAMP COMMENT 'when bronze appended it'
) USING DELTA
TBLPROPERTIES (delta.enableChangeDataFeed = true);
