import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelledError, UsageError } from '../core/errors.js';
import { queryRows, type SqlEngine } from '../engines/engine.js';
import { lagOf, type MicroBatchProgress } from '../engines/streams.js';
import { isProcessAlive } from '../services/daemon.js';
import { findJob, TRANSFORMATION_JOB } from '../pipelines/jobs.js';
import { pipelineTarget } from '../pipelines/landing.js';
import { salesStream, STREAM_TASK_SQL, streamFailure } from '../pipelines/streams.js';
import { sqlTaskExecutor, type LiveSources } from '../pipelines/runner/sqlTask.js';
import { upstreamOf } from '../pipelines/runner/graph.js';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { sqlStatements } from '../sql/index.js';

/**
 * `lhctl stream`: the sales stream run continuously. One process owns the streaming query (a query lives
 * in the engine session that started it) and, after each micro-batch that brought events, brings
 * silver.sales_transactions up to date from bronze's change feed, so an event is in silver seconds after
 * it was produced. It writes what it sees to a state file, which `stream status` and the console read.
 */
export interface StreamBatch {
  batchId: number;
  at: string;
  rows: number;
  rowsPerSecond: number;
  durationMs: number;
  /** Records the topic held beyond this batch's end when it ran. */
  lag: number | null;
  offsets: string;
  /** How long bringing silver up to date took after this batch (absent when the batch brought nothing). */
  silverMs?: number;
}

export interface StreamState {
  env: string;
  pid: number;
  state: 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';
  startedAt: string;
  updatedAt: string;
  trigger: string;
  topic: string;
  bootstrapServers: string;
  checkpoint: string;
  queryId: string | null;
  rows: number;
  batches: number;
  /** The latest micro-batches, newest last. */
  recent: StreamBatch[];
  error: string | null;
}

const KEPT_BATCHES = 50;
const SILVER_SALES = 'silver_sales_transactions';

export function streamStateFile(home: string, env: string): string {
  return join(home, 'local', 'streams', env, 'sales_transactions.json');
}

export function streamLogFile(home: string, env: string): string {
  return join(home, 'local', 'streams', env, 'stream.log');
}

export function readStreamState(home: string, env: string): StreamState | undefined {
  const file = streamStateFile(home, env);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StreamState;
  } catch {
    return undefined;
  }
}

/** The state as recorded, with a process that died without saying so reported as stopped. */
export function currentStreamState(home: string, env: string): StreamState | undefined {
  const state = readStreamState(home, env);
  if (!state) return undefined;
  const live = state.state === 'starting' || state.state === 'running' || state.state === 'stopping';
  if (live && !isProcessAlive(state.pid)) return { ...state, state: 'stopped', error: state.error ?? `process ${state.pid} ended without stopping the stream (killed?)` };
  return state;
}

function writeState(home: string, state: StreamState): void {
  const file = streamStateFile(home, state.env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function batchRow(progress: MicroBatchProgress): StreamBatch {
  return {
    batchId: progress.batchId,
    at: progress.timestamp,
    rows: progress.numInputRows,
    rowsPerSecond: Math.round(progress.processedRowsPerSecond),
    durationMs: progress.durationMs,
    lag: lagOf(progress) ?? null,
    offsets: progress.offsets.map((o) => `${o.partition.split('/').pop()}:${o.end}`).join(' '),
  };
}

export interface ContinuousOptions {
  live: LiveSources;
  /** Processing-time trigger, e.g. `1 second`. */
  trigger: string;
  maxPerBatch?: number;
  signal: AbortSignal;
  onBatch?: (batch: StreamBatch) => void;
  onNotice?: (message: string) => void;
}

/**
 * Runs the stream until `signal` (Ctrl-C, `lhctl stream stop`) and then stops its query, which commits
 * nothing half-done: a micro-batch is either in bronze and the checkpoint, or redone by the next start.
 */
export async function runStreamContinuously(engine: SqlEngine, profile: Profile, settings: Settings, options: ContinuousOptions): Promise<StreamState> {
  const streams = engine.streams;
  if (!streams) throw new UsageError(`lhctl stream runs its query on an engine with streaming; env ${profile.name} is ${profile.engine}`, { hint: 'On Databricks the deployed job runs the stream.' });
  const kafka = profile.sources.kafka;
  if (!kafka) throw new UsageError(`env ${profile.name} names no Kafka topic`, { hint: 'Name one under `sources.kafka` in its profile (see profiles/live.yaml).' });
  const target = pipelineTarget(profile, settings);
  const bootstrapServers = await options.live.kafkaBootstrap();
  const spec = salesStream(profile, {
    bootstrapServers,
    checkpointLocation: options.live.streamCheckpoint,
    trigger: { processingTime: options.trigger },
    ...(options.maxPerBatch ? { maxPerBatch: options.maxPerBatch } : {}),
  });
  const state: StreamState = {
    env: profile.name,
    pid: process.pid,
    state: 'starting',
    startedAt: new Date().toISOString(),
    updatedAt: '',
    trigger: options.trigger,
    topic: kafka.topic,
    bootstrapServers,
    checkpoint: spec.checkpointLocation,
    queryId: null,
    rows: 0,
    batches: 0,
    recent: [],
    error: null,
  };
  writeState(settings.home, state);

  const job = findJob(profile, TRANSFORMATION_JOB)!;
  const silverSales = job.tasks.find((t) => t.task_key === SILVER_SALES)!;
  // What silver sales needs first (its schema, the stores it checks events against), in job order.
  const upstream = upstreamOf(job, SILVER_SALES);
  const silver = sqlTaskExecutor(engine, target, { live: options.live });
  const silverContext = (task: string) => ({ signal: options.signal, attempt: 1, tag: `lhctl:stream:${task}`, runId: `stream-${profile.name}` });
  try {
    for (const name of ['bronze/setup', STREAM_TASK_SQL]) for (const statement of sqlStatements(name, target)) await queryRows(engine, statement, { signal: options.signal });
    for (const task of upstream) await (await silver(task, silverContext(task.task_key))).writes;
    const query = await streams.start(spec);
    state.queryId = query.id;
    state.state = 'running';
    writeState(settings.home, state);
    let lastBatch = -1;
    while (!options.signal.aborted) {
      const fresh = (await streams.recentProgress(query)).filter((p) => p.batchId > lastBatch);
      const rows = fresh.reduce((n, p) => n + p.numInputRows, 0);
      let silverMs: number | undefined;
      if (rows > 0) {
        const started = Date.now();
        try {
          // Its commits' history look-ups are left to finish on their own: the next event waits for nothing it does not need.
          const outcome = await silver(silverSales, silverContext(SILVER_SALES));
          void Promise.resolve(outcome.writes).catch(() => undefined);
          silverMs = Date.now() - started;
          state.error = null;
        } catch (error) {
          // Bronze keeps streaming; the next micro-batch brings silver up to date from where it stopped.
          if (options.signal.aborted) throw error;
          state.error = `${SILVER_SALES}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
          options.onNotice?.(`${state.error}; trying again after the next micro-batch`);
        }
      }
      for (const progress of fresh) {
        const batch = { ...batchRow(progress), ...(progress.numInputRows > 0 && silverMs !== undefined ? { silverMs } : {}) };
        state.recent = [...state.recent, batch].slice(-KEPT_BATCHES);
        state.rows += batch.rows;
        state.batches++;
        lastBatch = progress.batchId;
        options.onBatch?.(batch);
      }
      if (fresh.length > 0) writeState(settings.home, state);
      if (!(await streams.status(query)).active) {
        const failure = await streams.exception(query);
        throw failure ? streamFailure(spec, failure.message) : new CancelledError(`${spec.queryName} was stopped from elsewhere`);
      }
      try {
        await sleep(rows > 0 ? 100 : 500, undefined, { signal: options.signal });
      } catch {
        break;
      }
    }
    state.state = 'stopping';
    writeState(settings.home, state);
    await streams.stop(query);
    await streams.awaitEnd(query, 30_000);
    state.state = 'stopped';
    return state;
  } catch (error) {
    state.state = options.signal.aborted && error instanceof CancelledError ? 'stopped' : 'failed';
    state.error = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    writeState(settings.home, state);
    await silver.close();
  }
}
