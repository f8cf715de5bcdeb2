import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { ensureTopic, kafkaBootstrap, kafkaService, produceLines } from '../services/kafka.js';
import type { BatchManifest } from './generator/manifest.js';
import { serviceHost } from '../services/service.js';
import { loadBatchesIntoPostgres, ordersDatabaseOf, resetOrdersDb } from './ordersDbLoad.js';
import type { TableLoadResult } from '../services/postgres.js';

/** Where `data generate` sends a batch beside the landing zone: the env's live sources. */
export type LiveTarget = 'kafka' | 'postgres';

/** Partitions of a topic `data generate` creates: a few, so the stream reads in parallel and order is per key. */
const TOPIC_PARTITIONS = 3;

/** The live sources an env reads, which `data generate` feeds unless told otherwise. */
export function liveTargetsOf(profile: Profile): LiveTarget[] {
  return [...(profile.sources.kafka ? (['kafka'] as const) : []), ...(profile.sources.ordersDb ? (['postgres'] as const) : [])];
}

function transactionKey(line: string): string | null {
  try {
    const id = (JSON.parse(line) as { transaction_id?: unknown }).transaction_id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch {
    return null;
  }
}

/**
 * Produces each landed batch's POS events to the env's topic on the broker lhctl runs, line for line as
 * they landed (malformed ones included), keyed by transaction and with the batch number as a header.
 * Returns the records sent per batch.
 */
export async function produceBatchesToKafka(profile: Profile, settings: Settings, landingDir: string, manifests: BatchManifest[], onProgress?: (m: string) => void): Promise<Map<number, number>> {
  const kafka = profile.sources.kafka;
  if (!kafka) throw new UsageError(`env ${profile.name} names no Kafka topic`, { hint: 'Use an env with `sources.kafka` (e.g. --env live), or --to files.' });
  const host = serviceHost(settings);
  await kafkaService.start(host, onProgress);
  const local = await kafkaBootstrap(host);
  if (kafka.bootstrapServers !== 'local' && kafka.bootstrapServers !== local) {
    throw new UsageError(`data generate produces to the broker lhctl runs (${local}); env ${profile.name} reads ${kafka.bootstrapServers}`, {
      hint: 'Produce to that broker with your own tools, or generate for an env whose sources.kafka.bootstrap_servers is `local`.',
    });
  }
  await ensureTopic(host, kafka.topic, TOPIC_PARTITIONS);
  const sent = new Map<number, number>();
  for (const manifest of manifests) {
    const file = join(landingDir, manifest.sources.sales_transactions.file);
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const result = await produceLines(
      host,
      kafka.topic,
      lines.map((value) => ({ key: transactionKey(value), value })),
      { headers: { batch: String(manifest.batch) } },
    );
    sent.set(manifest.batch, result.records);
    onProgress?.(`batch ${manifest.batch}: ${result.records} POS events produced to ${kafka.topic} (${Math.round(result.recordsPerSecond)} records/s)`);
  }
  return sent;
}

/** What `data generate` sent beyond the landing zone: records per batch to the topic, rows per batch and table to the database. */
export interface LiveSent {
  kafka?: Map<number, number>;
  postgres?: TableLoadResult[];
}

/**
 * Sends newly landed batches to the live sources named: the POS events to the env's topic, the orders
 * database's tables to its database (emptied first when the landing zone started again).
 */
export async function sendToLiveSources(
  profile: Profile,
  settings: Settings,
  landingDir: string,
  manifests: BatchManifest[],
  options: { targets: LiveTarget[]; reset: boolean; onProgress?: (m: string) => void },
): Promise<LiveSent> {
  const sent: LiveSent = {};
  if (options.targets.includes('kafka')) sent.kafka = await produceBatchesToKafka(profile, settings, landingDir, manifests, options.onProgress);
  if (options.targets.includes('postgres')) {
    const db = await ordersDatabaseOf(profile, settings, options.onProgress);
    if (options.reset) await resetOrdersDb(db);
    sent.postgres = await loadBatchesIntoPostgres(db, landingDir, manifests, options.onProgress);
  }
  return sent;
}
