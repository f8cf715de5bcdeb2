import { brokerStatus, runningBroker, startBroker, stopBroker } from './kafka/broker.js';
import type { LocalService, ServiceHost } from './service.js';

export { type KafkaRecord, type ProduceOptions, type ProduceResult, produceLines } from './kafka/producer.js';
export { describeTopic, ensureTopic, type KafkaPartition, type KafkaTopic, listTopics } from './kafka/topics.js';
export { KAFKA_VERSION } from './kafka/install.js';

/** The local Kafka broker (KRaft, one node) the POS events stream through into bronze. */
export const kafkaService: LocalService = {
  name: 'kafka',
  summary: 'Apache Kafka broker (KRaft, one node): the POS sales events streamed into bronze',
  status: brokerStatus,
  start: (host, onProgress) => startBroker(host, onProgress),
  stop: (host) => stopBroker(host),
};

/** "127.0.0.1:<port>" of the running broker, for Spark's `kafka.bootstrap.servers`; an error with a hint when it is down. */
export async function kafkaBootstrap(host: ServiceHost): Promise<string> {
  const address = await runningBroker(host);
  return `${address.host}:${address.port}`;
}
