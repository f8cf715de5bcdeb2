import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, EngineError } from '../../core/errors.js';
import type { ServiceHost } from '../service.js';
import { runningBroker } from './broker.js';
import { type BrokerAddress, createTopic, EARLIEST, KAFKA_ERRORS, KafkaProtocolError, LATEST, listOffsets, metadata, type TopicMetadata } from './wire.js';

export interface KafkaPartition {
  partition: number;
  /** The first offset still stored. */
  earliest: number;
  /** The offset the next record gets (the high watermark): earliest..latest-1 are readable. */
  latest: number;
}

export interface KafkaTopic {
  name: string;
  partitions: KafkaPartition[];
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

function checkTopicName(name: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
    throw new ConfigError(`"${name}" is not a valid Kafka topic name`, { hint: 'Use letters, digits, ".", "_" and "-" (at most 249).' });
  }
}

/** Each partition's earliest and latest offsets, waiting out the moments after a topic is created. */
async function offsetsOf(address: BrokerAddress, topic: TopicMetadata, timeoutMs = 30_000): Promise<KafkaTopic> {
  const ids = topic.partitions.map((p) => p.partition).sort((a, b) => a - b);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const [earliest, latest] = await Promise.all([listOffsets(address, topic.name, ids, EARLIEST), listOffsets(address, topic.name, ids, LATEST)]);
      return { name: topic.name, partitions: ids.map((partition) => ({ partition, earliest: earliest.get(partition) ?? 0, latest: latest.get(partition) ?? 0 })) };
    } catch (error) {
      if (!(error instanceof KafkaProtocolError && error.retriable) || Date.now() > deadline) {
        throw new EngineError(`reading the offsets of Kafka topic "${topic.name}" failed: ${(error as Error).message}`, { hint: 'See `lhctl services logs kafka`.' });
      }
      await sleep(100);
    }
  }
}

/** The broker's topics (Kafka's internal ones left out), by name, with each partition's earliest and latest offsets. */
export async function listTopics(host: ServiceHost): Promise<KafkaTopic[]> {
  const address = await runningBroker(host);
  const cluster = await metadata(address, null);
  const topics = cluster.topics.filter((t) => !t.internal && t.errorCode === KAFKA_ERRORS.none).sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(topics.map((t) => offsetsOf(address, t)));
}

/** One topic with its offsets; a missing topic is an error that names the ones that exist. */
export async function describeTopic(host: ServiceHost, name: string): Promise<KafkaTopic> {
  checkTopicName(name);
  const address = await runningBroker(host);
  const [topic] = (await metadata(address, [name])).topics;
  if (!topic || topic.errorCode === KAFKA_ERRORS.unknownTopic) {
    const existing = (await metadata(address, null)).topics.filter((t) => !t.internal).map((t) => t.name);
    throw new EngineError(`Kafka topic "${name}" does not exist on the local broker`, {
      hint: `Create it first (ensureTopic, or \`lhctl data generate --to kafka\`). Topics: ${existing.sort().join(', ') || 'none'}.`,
    });
  }
  if (topic.errorCode !== KAFKA_ERRORS.none) throw new EngineError(`Kafka topic "${name}" is not available (Kafka error ${topic.errorCode})`, { hint: 'See `lhctl services logs kafka`.' });
  return offsetsOf(address, topic);
}

/**
 * Creates the topic with `partitions` partitions (replication factor 1) unless it exists, and waits
 * until every partition has a leader. An existing topic is kept as it is, whatever its partition count.
 */
export async function ensureTopic(host: ServiceHost, name: string, partitions: number, timeoutMs = 30_000): Promise<{ created: boolean; topic: KafkaTopic }> {
  checkTopicName(name);
  if (!Number.isInteger(partitions) || partitions < 1) throw new ConfigError(`a topic needs at least one partition (got ${partitions})`);
  const address = await runningBroker(host);
  const result = await createTopic(address, name, partitions);
  if (result.errorCode !== KAFKA_ERRORS.none && result.errorCode !== KAFKA_ERRORS.topicExists) {
    throw new EngineError(`creating Kafka topic "${name}" failed: ${result.message ?? `Kafka error ${result.errorCode}`}`, { hint: 'See `lhctl services logs kafka`.' });
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [topic] = (await metadata(address, [name])).topics;
    const ready = topic && topic.errorCode === KAFKA_ERRORS.none && topic.partitions.length > 0 && topic.partitions.every((p) => p.errorCode === KAFKA_ERRORS.none && p.leader >= 0);
    if (topic && ready) return { created: result.errorCode === KAFKA_ERRORS.none, topic: await offsetsOf(address, topic) };
    if (Date.now() > deadline) throw new EngineError(`Kafka topic "${name}" has no leader after ${Math.round(timeoutMs / 1000)} s`, { hint: 'See `lhctl services logs kafka`.' });
    await sleep(100);
  }
}
