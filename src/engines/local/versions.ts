/**
 * The pinned local runtime. Delta 4.4 is built for Spark 4.2 (its unsuffixed artifact targets the
 * default Spark version); the Spark Connect server ships as its own shaded jar since Spark 4.0.
 */
export const SPARK_VERSION = '4.2.0';
export const DELTA_VERSION = '4.4.0';
export const SCALA_BINARY = '2.13';
export const MIN_JAVA_MAJOR = 17;
export const POSTGRESQL_JDBC_VERSION = '42.7.14';

export const RUNTIME_ARTIFACTS: readonly { group: string; artifact: string; version: string }[] = [
  { group: 'org.apache.spark', artifact: `spark-connect_${SCALA_BINARY}`, version: SPARK_VERSION },
  { group: 'org.apache.spark', artifact: `spark-sql_${SCALA_BINARY}`, version: SPARK_VERSION },
  // Hive support gives the persistent catalog (embedded Derby metastore) so tables survive restarts.
  { group: 'org.apache.spark', artifact: `spark-hive_${SCALA_BINARY}`, version: SPARK_VERSION },
  { group: 'io.delta', artifact: `delta-spark_${SCALA_BINARY}`, version: DELTA_VERSION },
  // The real sources: Structured Streaming from Kafka (it brings kafka-clients 3.9, which talks to the
  // 4.x broker lhctl runs on its own classpath), and JDBC from the orders database.
  { group: 'org.apache.spark', artifact: `spark-sql-kafka-0-10_${SCALA_BINARY}`, version: SPARK_VERSION },
  { group: 'org.postgresql', artifact: 'postgresql', version: POSTGRESQL_JDBC_VERSION },
];

/** The pinned artifacts as one string each; an install made from another list is installed again. */
export const RUNTIME_COORDINATES: readonly string[] = RUNTIME_ARTIFACTS.map((a) => `${a.group}:${a.artifact}:${a.version}`);

/** The Maven repository the jars come from; the Spark poms name other mirrors that may be unreachable. */
export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2';
