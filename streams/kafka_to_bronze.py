"""Kafka POS events -> bronze.sales_transactions, as lhctl's continuous stream job runs it on Databricks.

lhctl deploy uploads this file and passes everything env-specific as parameters, built by the same code
that starts the local stream (src/pipelines/streams.ts): the source options, the bronze columns (as JSON),
the sink table, the checkpoint and the CREATE TABLE statement of sql/bronze/stream_sales_transactions.sql.
Exactly once per offset: the checkpoint records each micro-batch's offsets and the Delta sink commits each
batch once, so a restarted run resumes where the last one committed.

Kafka credentials (SASL/TLS) are not handled here; see the README's live sources section.
"""

import argparse
import json

from pyspark.sql import SparkSession


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--trigger-interval", required=True)
    parser.add_argument("--query-name", required=True)
    parser.add_argument("--columns", required=True, help="JSON list of SQL expressions, each with its alias")
    parser.add_argument("--kafka-options", default="{}", help="JSON object of further Kafka source options")
    parser.add_argument("--create-table", required=True, help="CREATE TABLE IF NOT EXISTS statement of the sink")
    return parser.parse_args()


def main():
    args = arguments()
    spark = SparkSession.builder.getOrCreate()
    spark.sql(args.create_table)
    events = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.bootstrap_servers)
        .option("subscribe", args.topic)
        .options(**json.loads(args.kafka_options))
        .load()
    )
    query = (
        events.selectExpr(*json.loads(args.columns))
        .writeStream.format("delta")
        .queryName(args.query_name)
        .option("checkpointLocation", args.checkpoint)
        .outputMode("append")
        .trigger(processingTime=args.trigger_interval)
        .toTable(args.table)
    )
    # The run lasts as long as the query; a failure ends it with the query's error, and the continuous
    # job starts the next run, which resumes from the checkpoint.
    query.awaitTermination()


if __name__ == "__main__":
    main()
