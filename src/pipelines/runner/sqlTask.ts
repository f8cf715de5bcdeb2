import type { Value } from '../../core/types.js';
import { queryRecords, queryRows, type SqlEngine } from '../../engines/engine.js';
import { loadSql, sqlStatements, type RenderTarget } from '../../sql/index.js';
import { changeSources, watermarkTable, type SourceVersions } from '../../sql/watermarks.js';
import { sqlNameOfTask, type Task } from '../jobs.js';
import { commitTag } from '../../ops/history.js';
import type { TableWrite } from './records.js';
import { ConfigError } from '../../core/errors.js';
import { STREAM_TASK_SQL, runStreamToEnd, salesStream } from '../streams.js';
import { ordersDbFailure } from '../liveSources.js';
import type { StreamEngine } from '../../engines/streams.js';
import { latestVersions, readRanges, storedWatermarks, upToDateReason, type SourceRead } from './sourceRanges.js';

export interface TaskContext {
  signal: AbortSignal;
  attempt: number;
  /** Shown in the engine's logs, e.g. `lhctl:<run id>:<task>`. */
  tag: string;
  /** The lhctl run, stamped with the task key on every Delta commit the task makes. */
  runId: string;
  /** Told the engine session the task's statements go to before any is sent (see RunRecord.sessions). */
  onSession?: (sessionId: string) => void;
}

export interface TaskOutcome {
  /** The commits made; may still be resolving (history look-ups) when the task is already done. */
  writes: TableWrite[] | Promise<TableWrite[]>;
  /** The source versions and rows an incremental task read. */
  reads?: SourceRead[];
  /** Set when the task did not run because none of its sources moved since its watermarks: why. */
  upToDate?: string;
}

/** Runs one task of a job; the runner owns retries, timeouts and ordering. */
export type TaskExecutor = (task: Task, context: TaskContext) => Promise<TaskOutcome>;

const WRITE_TARGET = /^(?:INSERT\s+(?:INTO|OVERWRITE)(?:\s+TABLE)?|MERGE\s+INTO)\s+((?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\.(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))*)/i;

/** The table an INSERT or MERGE statement writes, if it is one. */
export function writtenTable(statement: string): string | undefined {
  const code = statement.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '').trim();
  return WRITE_TARGET.exec(code)?.[1];
}

function isMerge(statement: string): boolean {
  return /^MERGE\b/i.test(statement.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '').trim());
}

function metric(metrics: Value, name: string): number {
  const value =
    metrics instanceof Map
      ? metrics.get(name)
      : metrics && typeof metrics === 'object' && !Array.isArray(metrics) && !(metrics instanceof Uint8Array)
        ? (metrics as Record<string, Value>)[name]
        : undefined;
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

interface StatementCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/** The counts a MERGE or INSERT statement returns itself (num_inserted_rows …), when it returns them. */
function statementCounts(columns: { name: string }[], rows: Value[][]): StatementCounts | undefined {
  const at = (name: string): number => columns.findIndex((c) => c.name === name);
  const row = rows[0];
  if (!row || at('num_inserted_rows') < 0) return undefined;
  const n = (name: string): number => (at(name) < 0 ? 0 : Number(row[at(name)] ?? 0));
  return { inserted: n('num_inserted_rows'), updated: n('num_updated_rows'), deleted: n('num_deleted_rows') };
}

/** What a pipeline statement wrote and how to recognise its commit in the table's history. */
interface WriteProbe {
  table: string;
  startedAt: number;
  merge: boolean;
  counts: StatementCounts | undefined;
  /** The task's commit tag (`commitInfo.userMetadata`), when its session could set one. */
  stamp: string | undefined;
}

/**
 * The commit a statement made: the first history entry of its operation committed since it started
 * and carrying the task's stamp when there is one. Statements without a stamp (a shared session)
 * fall back to counts: a MERGE's own counts pick its entry; plain appends (which return no counts)
 * take the first entry no other task of the run has claimed.
 */
async function commitOf(engine: SqlEngine, probe: WriteProbe, claimed: Set<string>, signal: AbortSignal): Promise<TableWrite[]> {
  const { table, startedAt, merge, counts, stamp } = probe;
  const history = await queryRecords(engine, `DESCRIBE HISTORY ${table} LIMIT 10`, { signal });
  const writes = history
    .filter((h) => (merge ? h['operation'] === 'MERGE' : h['operation'] === 'WRITE') && Date.parse(String(h['timestamp'])) >= startedAt - 2000)
    .filter((h) => stamp === undefined || h['userMetadata'] === stamp)
    .map((h) => {
      const m = h['operationMetrics'] ?? null;
      return {
        table: table.replace(/`/g, ''),
        version: Number(h['version']),
        operation: String(h['operation']),
        rowsInserted: merge ? metric(m, 'numTargetRowsInserted') : metric(m, 'numOutputRows'),
        rowsUpdated: merge ? metric(m, 'numTargetRowsUpdated') : 0,
        rowsDeleted: merge ? metric(m, 'numTargetRowsDeleted') : 0,
      };
    })
    .filter((w) => !claimed.has(`${w.table}@${w.version}`))
    .sort((a, b) => a.version - b.version);
  const own = counts ? writes.find((w) => w.rowsInserted === counts.inserted && w.rowsUpdated === counts.updated && w.rowsDeleted === counts.deleted) : undefined;
  const chosen = own ?? writes[0];
  if (chosen) claimed.add(`${chosen.table}@${chosen.version}`);
  return chosen ? [chosen] : [];
}

function isJdbcTask(sqlName: string): boolean {
  return sqlName.startsWith('bronze/jdbc_');
}

function liveSources(live: LiveSources | undefined, task: Task): LiveSources {
  if (!live) throw new ConfigError(`task ${task.task_key} reads a live source, but the env's profile names none`, { hint: 'Name the Kafka topic or orders database under `sources:` in the profile.' });
  return live;
}

/** The local runner runs a stream task's query itself, on an engine that can (capability `streaming`). */
function streamsOf(engine: SqlEngine, task: Task): StreamEngine {
  if (engine.streams) return engine.streams;
  throw new ConfigError(`task ${task.task_key} runs a streaming query, which the ${engine.kind} engine does not run for lhctl`, {
    hint: 'On Databricks the deployed job runs it: lhctl deploy, then lhctl run --remote.',
  });
}

/** A JDBC task's catalog is defined on its session out of band, so the password never is SQL text. */
function sessionConfigOf(engine: SqlEngine, task: Task): (pairs: Record<string, string>) => Promise<void> {
  if (engine.setSessionConfig) return (pairs) => engine.setSessionConfig!(pairs);
  throw new ConfigError(`task ${task.task_key} pulls from the orders database, which the ${engine.kind} engine reads through its federated catalog`, {
    hint: 'On Databricks the deployed job runs it: lhctl deploy, then lhctl run --remote.',
  });
}

/** The micro-batch commits a stream made to `table` since `startedAt`. */
async function streamCommits(engine: SqlEngine, table: string, startedAt: number, signal: AbortSignal): Promise<TableWrite[]> {
  const history = await queryRecords(engine, `DESCRIBE HISTORY ${table} LIMIT 100`, { signal });
  return history
    .filter((h) => h['operation'] === 'STREAMING UPDATE' && Date.parse(String(h['timestamp'])) >= startedAt - 2000)
    .map((h) => ({
      table: table.replace(/`/g, ''),
      version: Number(h['version']),
      operation: String(h['operation']),
      rowsInserted: metric(h['operationMetrics'] ?? null, 'numOutputRows'),
      rowsUpdated: 0,
      rowsDeleted: 0,
    }))
    .sort((a, b) => a.version - b.version);
}

/** A TaskExecutor that holds engine sessions until the run is over. */
export interface SqlTaskExecutor extends TaskExecutor {
  close(): Promise<void>;
}

/**
 * Executes a task's bundled SQL file statement by statement and reports the Delta commits it made.
 * Each task runs in a session of its own, as a Databricks SQL task does, so the commit tag it sets
 * touches no task running beside it; sessions are reused by later tasks (a fresh one costs the
 * server a cold start), at most one per task running at once.
 */
/** How the tasks that read live sources reach them; absent for an env whose sources all land as files. */
export interface LiveSources {
  /** host:port[,…] of the env's Kafka brokers (the local broker is started first when the profile names it). */
  kafkaBootstrap(): Promise<string>;
  /** The env's stream checkpoint (see streams.ts). */
  streamCheckpoint: string;
  /** Session settings that define the orders database's JDBC catalog, password included: sent out of band, never as SQL. */
  ordersDbSession(): Promise<Record<string, string>>;
}

export function sqlTaskExecutor(engine: SqlEngine, target: RenderTarget, options: { fullRefresh?: boolean; live?: LiveSources } = {}): SqlTaskExecutor {
  const claimed = new Set<string>();
  const idle: SqlEngine[] = [];
  const watermarks = watermarkTable(target.profile);
  const execute = async (task: Task, { signal, tag, runId, onSession }: TaskContext): Promise<TaskOutcome> => {
    const session = idle.pop() ?? (await engine.separateSession?.());
    const taskEngine = session ?? engine;
    if (taskEngine.sessionId) onSession?.(taskEngine.sessionId);
    let stamp: string | undefined;
    let clean = false;
    // History look-ups overlap the next statement or task rather than adding to this task's duration.
    const lookups: Promise<TableWrite[]>[] = [];
    const sqlName = sqlNameOfTask(task);
    const sources = changeSources(loadSql(sqlName));
    try {
      // An incremental task whose sources have not moved since its watermarks has nothing to do.
      let sourceVersions: SourceVersions | undefined;
      if (sources.length > 0) {
        const latest = await latestVersions(taskEngine, target.profile, sqlName, sources, { signal, tag });
        const upToDate = options.fullRefresh ? undefined : upToDateReason(latest, await storedWatermarks(taskEngine, target.profile, sqlName, { signal, tag }));
        if (upToDate) {
          clean = true;
          return { writes: [], upToDate };
        }
        sourceVersions = { upTo: latest, whole: options.fullRefresh === true };
      }
      let ordersDb: Record<string, string> | undefined;
      if (isJdbcTask(sqlName)) {
        ordersDb = await liveSources(options.live, task).ordersDbSession();
        await sessionConfigOf(taskEngine, task)(ordersDb);
      }
      if (session) {
        const setting = commitTag(runId, task.task_key);
        await queryRows(session, setting.sql, { signal, tag });
        stamp = setting.value;
      }
      for (const statement of sqlStatements(sqlName, sourceVersions ? { ...target, sourceVersions } : target)) {
        const table = writtenTable(statement);
        const startedAt = Date.now();
        const { columns, rows } = await queryRows(taskEngine, statement, { signal, tag }).catch((error: unknown) => {
          throw ordersDb ? ordersDbFailure(error, ordersDb) : error;
        });
        // A failed look-up costs the record its version, never the task its success.
        // The watermark's own commit is bookkeeping, not a write the operator follows.
        if (table && table !== watermarks)
          lookups.push(commitOf(engine, { table, startedAt, merge: isMerge(statement), counts: statementCounts(columns, rows), stamp }, claimed, signal).catch(() => []));
      }
      if (sqlName === STREAM_TASK_SQL) {
        const live = liveSources(options.live, task);
        const spec = salesStream(target.profile, { bootstrapServers: await live.kafkaBootstrap(), checkpointLocation: live.streamCheckpoint, trigger: { availableNow: true } });
        const startedAt = Date.now();
        const { rows } = await runStreamToEnd(streamsOf(taskEngine, task), spec, signal);
        clean = true;
        return { writes: rows === 0 ? [] : streamCommits(engine, spec.table, startedAt, signal).catch(() => []) };
      }
      const reads = sources.length > 0 ? await readRanges(taskEngine, sources, { signal, tag }) : undefined;
      clean = true;
      return { writes: Promise.all(lookups).then((found) => found.flat()), ...(reads ? { reads } : {}) };
    } finally {
      // A session whose statement failed or was cancelled is not handed to the next task.
      if (session && clean) idle.push(session);
      else await session?.close();
    }
  };
  return Object.assign(execute, {
    async close(): Promise<void> {
      await Promise.all(idle.splice(0).map((s) => s.close()));
    },
  });
}
