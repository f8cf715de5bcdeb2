"""The minimal Structured Streaming script the streaming benchmark compares lhctl with: the same Kafka
topic into the same kind of bronze table, with the same columns, through the same Spark Connect
server, available-now. Prints the seconds from start to end and the rows the query read."""
import json
import sys
import time

from pyspark.sql import SparkSession

port, token, servers, topic, table, checkpoint = sys.argv[1:7]
spark = SparkSession.builder.remote(f"sc://127.0.0.1:{port}/;token={token}").getOrCreate()
columns = json.loads(sys.stdin.read())
started = time.perf_counter()
source = (
    spark.readStream.format("kafka")
    .option("kafka.bootstrap.servers", servers)
    .option("subscribe", topic)
    .option("startingOffsets", "earliest")
    .option("includeHeaders", "true")
    .load()
)
query = (
    source.selectExpr(*columns)
    .writeStream.format("delta")
    .option("checkpointLocation", checkpoint)
    .outputMode("append")
    .trigger(availableNow=True)
    .toTable(table)
)
query.awaitTermination()
seconds = time.perf_counter() - started
rows = sum(p["numInputRows"] if isinstance(p, dict) else p.numInputRows for p in query.recentProgress)
print(json.dumps({"seconds": seconds, "rows": rows}))
