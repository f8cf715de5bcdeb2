"""How the benchmarks' pyspark clients reach lhctl's local engine: plain gRPC on loopback plus the bearer
token, as lhctl connects (a token in the sc:// URL would ask for TLS)."""
import grpc
from pyspark.sql.connect.client import DefaultChannelBuilder
from pyspark.sql.connect.session import SparkSession


def loopback_session(port, token):
    class LoopbackChannel(DefaultChannelBuilder):
        def toChannel(self):
            return grpc.insecure_channel(self.endpoint, options=self._channel_options)

        def metadata(self):
            return list(super().metadata()) + [("authorization", f"Bearer {token}")]

    return SparkSession.builder.channelBuilder(LoopbackChannel(f"sc://127.0.0.1:{port}")).getOrCreate()
