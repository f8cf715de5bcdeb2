import { CancelledError, ConfigError, LhctlError, QueryError, UsageError } from '../../core/errors.js';
import type { ScheduledJob, SqlTask } from '../jobs.js';
import { sqlNameOfTask } from '../jobs.js';
import { dependenciesOf, selectTasks, validateGraph, type Selection } from './graph.js';
import { newRunId, saveRun, type RunRecord, type TaskRecord, type TaskState } from './records.js';
import type { TaskExecutor } from './sqlTask.js';

export interface TaskEvent {
  runId: string;
  job: string;
  task: string;
  state: TaskState;
  attempt: number;
  /** On failed/retrying: what went wrong; on skipped: why. */
  detail?: string;
}

export interface RunJobOptions {
  /** $LHCTL_HOME: run records go to `<home>/runs/<env>/`. */
  home: string;
  env: string;
  selection?: Selection;
  /** Tasks running at once (default 2: one machine, one Spark server). */
  parallelism?: number;
  /** First retry delay, doubled on each retry; defaults to the task's min_retry_interval_millis. */
  retryBaseMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: TaskEvent) => void;
}

class TaskTimeoutError extends LhctlError {}

const DETERMINISTIC_KINDS = new Set(['parse', 'column-not-found', 'permission', 'cancelled']);

/** Transient failures are worth a retry; a syntax error or a failed quality gate is not. */
function retryable(error: unknown): boolean {
  if (error instanceof TaskTimeoutError) return true;
  if (error instanceof CancelledError || error instanceof UsageError || error instanceof ConfigError) return false;
  if (error instanceof QueryError) return !DETERMINISTIC_KINDS.has(error.kind) && error.errorClass !== 'USER_RAISED_EXCEPTION';
  return true;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 2000);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * Executes a job's task graph: each task once its dependencies succeeded, at most `parallelism` at once,
 * failed attempts retried with exponential backoff, each attempt cut at the task's timeout. Every state
 * change is emitted and the run record rewritten, so a killed run leaves a record of how far it got.
 */
export async function runJob(job: ScheduledJob, execute: TaskExecutor, options: RunJobOptions): Promise<RunRecord> {
  validateGraph(job);
  const selected = selectTasks(job, options.selection ?? {});
  const parallelism = Math.max(1, options.parallelism ?? 2);
  const sessions: string[] = [];
  const record: RunRecord = {
    runId: newRunId(job.name),
    job: job.name,
    env: options.env,
    state: 'running',
    startedAt: new Date().toISOString(),
    endedAt: null,
    selection: { only: options.selection?.only ?? null, from: options.selection?.from ?? null },
    pid: process.pid,
    sessions,
    tasks: job.tasks.map((t) => ({
      key: t.task_key,
      sql: sqlNameOfTask(t),
      state: selected.has(t.task_key) ? 'queued' : 'skipped',
      attempts: 0,
      startedAt: null,
      endedAt: null,
      durationMs: null,
      writes: [],
      error: null,
      note: selected.has(t.task_key) ? null : 'not selected',
    })),
  };
  const byKey = new Map(record.tasks.map((t) => [t.key, t]));
  const set = (task: TaskRecord, state: TaskState, detail?: string): void => {
    task.state = state;
    saveRun(options.home, record);
    options.onEvent?.({ runId: record.runId, job: job.name, task: task.key, state, attempt: task.attempts, ...(detail ? { detail } : {}) });
  };
  const onSession = (sessionId: string): void => {
    if (sessions.includes(sessionId)) return;
    sessions.push(sessionId);
    saveRun(options.home, record);
  };
  saveRun(options.home, record);
  for (const t of record.tasks) if (t.state === 'queued') options.onEvent?.({ runId: record.runId, job: job.name, task: t.key, state: 'queued', attempt: 0 });

  // Metrics of finished tasks still being looked up; the run ends once they are in its record.
  const pendingWrites: Promise<void>[] = [];
  const runTask = async (task: SqlTask): Promise<void> => {
    const rec = byKey.get(task.task_key)!;
    const started = Date.now();
    rec.startedAt = new Date(started).toISOString();
    for (;;) {
      rec.attempts++;
      set(rec, 'running');
      const attempt = new AbortController();
      const onAbort = (): void => attempt.abort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, task.timeout_seconds * 1000);
      try {
        const outcome = await execute(task, { signal: attempt.signal, attempt: rec.attempts, tag: `lhctl:${record.runId}:${task.task_key}`, runId: record.runId, onSession });
        if (outcome.reads) rec.reads = outcome.reads;
        if (Array.isArray(outcome.writes)) rec.writes = outcome.writes;
        else {
          pendingWrites.push(
            outcome.writes.then(
              (writes) => {
                rec.writes = writes;
                saveRun(options.home, record);
              },
              () => undefined,
            ),
          );
        }
        rec.error = null;
        rec.endedAt = new Date().toISOString();
        rec.durationMs = Date.now() - started;
        if (outcome.upToDate) rec.note = outcome.upToDate;
        set(rec, outcome.upToDate ? 'up-to-date' : 'succeeded', outcome.upToDate);
        return;
      } catch (caught) {
        const error = timedOut ? new TaskTimeoutError(`timed out after ${task.timeout_seconds}s`, { cause: caught }) : caught;
        rec.error = firstLine(error);
        if (options.signal?.aborted) {
          rec.endedAt = new Date().toISOString();
          rec.durationMs = Date.now() - started;
          set(rec, 'cancelled', rec.error);
          return;
        }
        const retriesLeft = rec.attempts <= task.max_retries && retryable(error) && (!timedOut || task.retry_on_timeout);
        if (!retriesLeft) {
          rec.endedAt = new Date().toISOString();
          rec.durationMs = Date.now() - started;
          set(rec, 'failed', rec.error);
          return;
        }
        set(rec, 'retrying', rec.error);
        await sleep((options.retryBaseMs ?? task.min_retry_interval_millis) * 2 ** (rec.attempts - 1), options.signal);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    }
  };

  const running = new Map<string, Promise<void>>();
  for (;;) {
    // Repeat the pass while it skips tasks, so a skip reaches every task downstream at once.
    let skippedSome = true;
    while (skippedSome) {
      skippedSome = false;
      for (const task of job.tasks) {
        const rec = byKey.get(task.task_key)!;
        if (rec.state !== 'queued' || running.has(task.task_key)) continue;
        const deps = dependenciesOf(task)
          .filter((d) => selected.has(d))
          .map((d) => byKey.get(d)!);
        const blocker = deps.find((d) => d.state === 'failed' || d.state === 'cancelled' || (d.state === 'skipped' && d.note !== 'not selected'));
        if (blocker || options.signal?.aborted) {
          rec.note = blocker ? `upstream ${blocker.key} ${blocker.state}` : 'run cancelled';
          set(rec, 'skipped', rec.note);
          skippedSome = true;
          continue;
        }
        if (running.size >= parallelism || !deps.every((d) => d.state === 'succeeded' || d.state === 'up-to-date')) continue;
        running.set(
          task.task_key,
          runTask(task).finally(() => running.delete(task.task_key)),
        );
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  await Promise.all(pendingWrites);
  const states = record.tasks.map((t) => t.state);
  record.state = options.signal?.aborted ? 'cancelled' : states.includes('failed') || states.includes('cancelled') ? 'failed' : 'succeeded';
  record.endedAt = new Date().toISOString();
  saveRun(options.home, record);
  return record;
}
