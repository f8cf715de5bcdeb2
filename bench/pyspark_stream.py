"""The minimal Structured Streaming script the streaming benchmark compares lhctl with: the same Kafka
topic into the same kind of bronze table, with the same columns, through the same Spark Connect
server, available-now. Prints the seconds from start to end and the rows the query read."""
import json
import sys
import time

from pyspark_loopback import loopback_session

port, token, servers, topic, table, checkpoint = sys.argv[1:7]
spark = loopback_session(port, token)
spark.sql("select 1").collect()  # warm the session, as the lhctl side's session is
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
# Spark 4 reports the rows per source, as the lhctl side reads them.
rows = sum(source.numInputRows or 0 for progress in query.recentProgress for source in progress.sources)
print(json.dumps({"seconds": seconds, "rows": rows}))
