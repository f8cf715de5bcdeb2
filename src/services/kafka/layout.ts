import { join } from 'node:path';

/** Where the Kafka broker keeps its jars (apart from Spark's), data, log and state under $LHCTL_HOME. */
export interface KafkaLayout {
  runtimeDir: string;
  jarsDir: string;
  manifestFile: string;
  /** $LHCTL_HOME/local/kafka: everything the broker writes. */
  dataDir: string;
  /** The broker's log.dirs (partitions and the KRaft metadata log). */
  logDirs: string;
  configFile: string;
  /** The producer's and the line reader's settings, written at each start. */
  producerConfig: string;
  readerConfig: string;
  logFile: string;
  stateFile: string;
  lockFile: string;
}

export function kafkaLayout(home: string): KafkaLayout {
  const runtimeDir = join(home, 'runtime', 'kafka');
  const dataDir = join(home, 'local', 'kafka');
  return {
    runtimeDir,
    jarsDir: join(runtimeDir, 'jars'),
    manifestFile: join(runtimeDir, 'manifest.json'),
    dataDir,
    logDirs: join(dataDir, 'data'),
    configFile: join(dataDir, 'server.properties'),
    producerConfig: join(dataDir, 'producer.properties'),
    readerConfig: join(dataDir, 'reader.properties'),
    logFile: join(dataDir, 'logs', 'server.log'),
    stateFile: join(dataDir, 'broker.json'),
    lockFile: join(dataDir, 'start.lock'),
  };
}
