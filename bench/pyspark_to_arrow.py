# The reference client for the streaming benchmark: pyspark's Spark Connect client, spark.sql(q).toArrow(),
# against the same local server (plain gRPC on loopback plus the bearer token, as lhctl does).
import sys, time, resource, grpc
from pyspark.sql.connect.session import SparkSession
from pyspark.sql.connect.client import DefaultChannelBuilder

port, token, query = sys.argv[1], sys.argv[2], sys.argv[3]

class LoopbackChannel(DefaultChannelBuilder):
    def toChannel(self):
        return grpc.insecure_channel(self.endpoint, options=self._channel_options)
    def metadata(self):
        return list(super().metadata()) + [("authorization", f"Bearer {token}")]

spark = SparkSession.builder.channelBuilder(LoopbackChannel(f"sc://127.0.0.1:{port}")).getOrCreate()
spark.sql("select 1").toArrow()  # warm the session
started = time.perf_counter()
table = spark.sql(query).toArrow()
elapsed = time.perf_counter() - started
print(f"{table.num_rows} {elapsed:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
spark.stop()
