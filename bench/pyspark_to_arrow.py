# The reference client for the streaming benchmark: pyspark's Spark Connect client, spark.sql(q).toArrow(),
# against the same local server (plain gRPC on loopback plus the bearer token, as lhctl does).
import sys, time, resource
from pyspark_loopback import loopback_session

port, token, query = sys.argv[1], sys.argv[2], sys.argv[3]
spark = loopback_session(port, token)
spark.sql("select 1").toArrow()  # warm the session
started = time.perf_counter()
table = spark.sql(query).toArrow()
elapsed = time.perf_counter() - started
print(f"{table.num_rows} {elapsed:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
spark.stop()
