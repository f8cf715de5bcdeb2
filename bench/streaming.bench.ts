import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeStatement, queryRows, type SqlEngine } from '../src/engines/engine.js';
import { openLocalEngine, type LocalSqlEngine } from '../src/engines/local/index.js';
import { runStreamContinuously } from '../src/ops/stream.js';
import { liveSourcesOf } from '../src/pipelines/liveSources.js';
import { runPipelineJob } from '../src/pipelines/execute.js';
import { landNextBatches } from '../src/pipelines/landed.js';
import { KAFKA_BRONZE_COLUMNS, runStreamToEnd, salesStream } from '../src/pipelines/streams.js';
import { loadProfile, type Profile } from '../src/profiles/profile.js';
import { readSettings } from '../src/profiles/settings.js';
import { ensureTopic, kafkaBootstrap, kafkaService, produceLines } from '../src/services/kafka.js';
import { HOME, median, row, serverPort, token } from './support.js';

/**
 * The sales stream, Kafka → bronze. (1) Events per second of lhctl's stream task (available-now) vs a
 * minimal pyspark Structured Streaming script doing the same on the same engine, alternated, best of
 * BENCH_ROUNDS (4) each: goal >= 0.9x. (2) Freshness in continuous mode: from an event produced to its row
 * visible in silver.sales_transactions, p50 and p95 over 1,000 events produced in small groups: goal
 * p95 <= 10 s. Run: node bench/run.mjs streaming   (BENCH_EVENTS, default 200000; bench/setup-python.sh first)
 */
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const FRESH_EVENTS = 1000;
const settings = { ...readSettings({ ...process.env, LHCTL_HOME: HOME }), home: mkdtempSync(join(tmpdir(), 'lhctl-bench-streaming-')) };
const host = { home: HOME, javaHome: settings.javaHome, env: process.env };
const stamp = Date.now();
const base = loadProfile(join(process.cwd(), 'profiles'), 'live');

function benchProfile(schemaPrefix: string, topic: string, servers: string): Profile {
  return {
    ...base,
    schemas: { bronze: `${schemaPrefix}_bronze`, silver: `${schemaPrefix}_silver`, gold: `${schemaPrefix}_gold` },
    sources: { kafka: { bootstrapServers: servers, topic } },
  };
}

/** Valid POS events from the generator, each under a new transaction id (a prefix per use keeps them unique). */
async function posEvents(count: number, prefix: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-bench-events-'));
  const [manifest] = await landNextBatches({ landingDir: dir, batches: 1, seed: 'bench-streaming', scale: Math.max(0.05, count / 100_000), reset: true });
  const lines = readFileSync(join(dir, manifest!.sources['sales_transactions']!.file), 'utf8').split('\n');
  const events: string[] = [];
  for (const line of lines) {
    try {
      const event = JSON.parse(line) as { transaction_id?: string };
      if (!event.transaction_id) continue;
      events.push(JSON.stringify({ ...event, transaction_id: `${prefix}-${events.length}` }));
    } catch {
      // the generator's malformed lines are not wanted here
    }
    if (events.length === count) break;
  }
  while (events.length < count) events.push(events[events.length % Math.max(1, events.length)]!.replace(/"transaction_id":"[^"]+"/, `"transaction_id":"${prefix}-${events.length}"`));
  return events;
}

async function lhctlRun(engine: LocalSqlEngine, profile: Profile, servers: string, round: number): Promise<{ seconds: number; rows: number }> {
  await executeStatement(engine, `CREATE SCHEMA IF NOT EXISTS ${profile.schemas.bronze}`);
  await executeStatement(engine, `CREATE TABLE ${profile.schemas.bronze}.lhctl_${round} (value STRING, _batch_id INT, _source_file STRING, _ingested_at TIMESTAMP) USING DELTA`);
  const spec = {
    ...salesStream(profile, { bootstrapServers: servers, checkpointLocation: join(settings.home, `ck-lhctl-${round}`), trigger: { availableNow: true } }),
    table: `${profile.schemas.bronze}.lhctl_${round}`,
  };
  const started = performance.now();
  const { rows } = await runStreamToEnd(engine.streams, spec, new AbortController().signal);
  return { seconds: (performance.now() - started) / 1000, rows };
}

async function pysparkRun(engine: SqlEngine, profile: Profile, servers: string, round: number): Promise<{ seconds: number; rows: number }> {
  const table = `${profile.schemas.bronze}.pyspark_${round}`;
  await executeStatement(engine, `CREATE TABLE ${table} (value STRING, _batch_id INT, _source_file STRING, _ingested_at TIMESTAMP) USING DELTA`);
  const result = spawnSync(
    join(process.cwd(), 'bench', '.venv', 'bin', 'python'),
    [join(process.cwd(), 'bench', 'pyspark_stream.py'), String(serverPort()), token(), servers, profile.sources.kafka!.topic, table, join(settings.home, `ck-pyspark-${round}`)],
    { input: JSON.stringify(KAFKA_BRONZE_COLUMNS), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`pyspark_stream.py failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { seconds: number; rows: number };
}

async function throughput(engine: LocalSqlEngine, servers: string): Promise<void> {
  const profile = benchProfile('benchstream', `bench.throughput.${stamp}`, servers);
  await executeStatement(engine, `DROP SCHEMA IF EXISTS ${profile.schemas.bronze} CASCADE`);
  const events = await posEvents(EVENTS, 'T');
  await ensureTopic(host, profile.sources.kafka!.topic, 3);
  const produced = performance.now();
  await produceLines(
    host,
    profile.sources.kafka!.topic,
    events.map((value) => ({ key: null, value, headers: { batch: '1' } })),
  );
  console.log(`  produced ${events.length.toLocaleString('en-US')} events in ${((performance.now() - produced) / 1000).toFixed(1)} s`);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated, so neither side always runs first on a server the other has just warmed.
    const [a, b] =
      round % 2 === 0
        ? [await lhctlRun(engine, profile, servers, round), await pysparkRun(engine, profile, servers, round)]
        : await pysparkRun(engine, profile, servers, round).then(async (theirs) => [await lhctlRun(engine, profile, servers, round), theirs] as const);
    if (a.rows !== events.length || b.rows !== events.length) throw new Error(`rows read: lhctl ${a.rows}, pyspark ${b.rows}, produced ${events.length}`);
    ours.push(a.rows / a.seconds);
    theirs.push(b.rows / b.seconds);
    console.log(`  round ${round + 1}: lhctl ${a.seconds.toFixed(1)} s, pyspark ${b.seconds.toFixed(1)} s for ${a.rows.toLocaleString('en-US')} events`);
  }
  const best = (v: number[]): number => Math.max(...v);
  console.log(
    row(
      'Kafka → bronze events/s, lhctl vs minimal pyspark',
      `${best(ours).toFixed(0)} / ${best(theirs).toFixed(0)} = ${(best(ours) / best(theirs)).toFixed(2)}x`,
      '>= 0.9x',
      best(ours) / best(theirs) >= 0.9,
    ),
  );
}

async function freshness(engine: LocalSqlEngine, servers: string): Promise<void> {
  const topic = `bench.freshness.${stamp}`;
  const profile = benchProfile('benchfresh', topic, servers);
  for (const schema of Object.values(profile.schemas)) await executeStatement(engine, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  // Silver checks each event's store against silver stores: land one batch of files and transform it first.
  const landing = { ...settings, home: mkdtempSync(join(tmpdir(), 'lhctl-bench-fresh-')) };
  await landNextBatches({ landingDir: join(landing.home, 'local', 'landing'), batches: 1, seed: 'bench-streaming', scale: 0.05, reset: true });
  const files = { ...profile, sources: {} };
  for (const job of ['ingest', 'transform']) await runPipelineJob(engine, files, landing, job);
  const live = liveSourcesOf(profile, landing)!;
  await ensureTopic(host, topic, 3);
  const controller = new AbortController();
  const running = runStreamContinuously(await engine.separateSession(), profile, landing, { live, trigger: '500 milliseconds', signal: controller.signal });
  const events = await posEvents(FRESH_EVENTS, `F${stamp}`);
  const producedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const ids = events.map((e) => (JSON.parse(e) as { transaction_id: string }).transaction_id);
  let next = 0;
  const deadline = Date.now() + 600_000;
  while (seenAt.size < ids.length && Date.now() < deadline) {
    // 20 events every 200 ms: 100 events/s, as a few busy stores would send.
    if (next < events.length) {
      const group = events.slice(next, next + 20);
      const now = Date.now();
      await produceLines(
        host,
        topic,
        group.map((value) => ({ key: null, value, headers: {} })),
      );
      group.forEach((_, i) => producedAt.set(ids[next + i]!, now));
      next += group.length;
    }
    const { rows } = await queryRows(engine, `SELECT transaction_id FROM ${profile.schemas.silver}.sales_transactions WHERE transaction_id LIKE 'F${stamp}-%'`);
    const now = Date.now();
    for (const [id] of rows) if (!seenAt.has(String(id))) seenAt.set(String(id), now);
    await new Promise((r) => setTimeout(r, 200));
  }
  controller.abort();
  await running.catch(() => undefined);
  const lags = ids.filter((id) => seenAt.has(id)).map((id) => (seenAt.get(id)! - producedAt.get(id)!) / 1000);
  lags.sort((a, b) => a - b);
  const p = (q: number): number => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? Number.NaN;
  console.log(`  ${lags.length} of ${ids.length} events reached silver; p50 ${p(0.5).toFixed(1)} s, max ${p(1).toFixed(1)} s (median ${median(lags).toFixed(1)} s)`);
  console.log(row('event produced → row in silver.sales_transactions, p95', `${p(0.95).toFixed(1)} s`, '<= 10 s', lags.length === ids.length && p(0.95) <= 10));
}

await kafkaService.start(host);
const servers = await kafkaBootstrap(host);
const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
try {
  console.log(`${EVENTS.toLocaleString('en-US')} POS events; broker ${servers}`);
  await throughput(engine, servers);
  await freshness(engine, servers);
} finally {
  await engine.close();
}
