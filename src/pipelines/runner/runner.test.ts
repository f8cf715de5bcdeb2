import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueryError, UsageError } from '../../core/errors.js';
import type { ScheduledJob, SqlTask } from '../jobs.js';
import { listRuns, loadRun } from './records.js';
import { runJob, type TaskEvent } from './runner.js';
import type { TaskExecutor } from './sqlTask.js';

function task(key: string, after: string[] = [], overrides: Partial<SqlTask> = {}): SqlTask {
  return {
    task_key: key,
    sql_task: { file: { path: `sql/silver/${key}.sql`, source: 'WORKSPACE' }, warehouse_id: 'local' },
    max_retries: 2,
    min_retry_interval_millis: 1,
    retry_on_timeout: true,
    timeout_seconds: 5,
    ...(after.length ? { depends_on: after.map((task_key) => ({ task_key })) } : {}),
    ...overrides,
  };
}

function job(tasks: SqlTask[]): ScheduledJob {
  return {
    name: 'retail_transformation_pipeline',
    description: '',
    tags: {},
    max_concurrent_runs: 1,
    timeout_seconds: 60,
    schedule: { quartz_cron_expression: '0 0 * * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' },
    tasks,
  };
}

const diamond = job([task('a'), task('b', ['a']), task('c', ['a']), task('d', ['b', 'c'])]);

function newHome(): string {
  return mkdtempSync(join(tmpdir(), 'lhctl-runner-'));
}

async function run(j: ScheduledJob, execute: TaskExecutor, options: { parallelism?: number; only?: string; from?: string; home?: string } = {}) {
  const home = options.home ?? newHome();
  const events: TaskEvent[] = [];
  const record = await runJob(j, execute, {
    home,
    env: 'local',
    retryBaseMs: 5,
    parallelism: options.parallelism ?? 2,
    onEvent: (e) => events.push(e),
    selection: { ...(options.only ? { only: options.only } : {}), ...(options.from ? { from: options.from } : {}) },
  });
  return { record, events, home, states: Object.fromEntries(record.tasks.map((t) => [t.key, t.state])) };
}

describe('runJob', () => {
  it('runs each task after its dependencies, never more than `parallelism` at once', async () => {
    const order: string[] = [];
    let active = 0;
    let peak = 0;
    const { record, states } = await run(diamond, async (t) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 20));
      order.push(t.task_key);
      active--;
      return { writes: [] };
    });
    expect(record.state).toBe('succeeded');
    expect(states).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded', d: 'succeeded' });
    expect(order[0]).toBe('a');
    expect(order[3]).toBe('d');
    expect(peak).toBe(2);
  });

  it('retries a failing task with growing delays, then succeeds', async () => {
    const times: number[] = [];
    const { record, events } = await run(job([task('a')]), async () => {
      times.push(Date.now());
      if (times.length < 3) throw new QueryError('ConcurrentAppendException', { kind: 'execution' });
      return { writes: [] };
    });
    expect(record.tasks[0]).toMatchObject({ state: 'succeeded', attempts: 3 });
    expect(events.map((e) => e.state)).toEqual(['queued', 'running', 'retrying', 'running', 'retrying', 'running', 'succeeded']);
    // Base 5 ms, doubled: the waits are at least 5 and 10 ms (timers never fire early by more than
    // their 1 ms rounding; they may fire late on a busy machine, so only lower bounds are checked).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(4);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(9);
  });

  it('does not retry a deterministic error, fails the run and skips what depends on it', async () => {
    let calls = 0;
    const { record, states } = await run(diamond, async (t) => {
      if (t.task_key === 'b') {
        calls++;
        throw new QueryError('[PARSE_SYNTAX_ERROR] near MERGE', { kind: 'parse' });
      }
      return { writes: [] };
    });
    expect(calls).toBe(1);
    expect(record.state).toBe('failed');
    expect(states).toEqual({ a: 'succeeded', b: 'failed', c: 'succeeded', d: 'skipped' });
    expect(record.tasks.find((t) => t.key === 'd')!.note).toBe('upstream b failed');
    expect(record.tasks.find((t) => t.key === 'b')!.error).toContain('PARSE_SYNTAX_ERROR');
  });

  it('cuts an attempt at the task timeout and retries it', async () => {
    let calls = 0;
    const { record } = await run(job([task('slow', [], { timeout_seconds: 0.05, max_retries: 1 })]), (_t, { signal }) => {
      calls++;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled'))));
    });
    expect(calls).toBe(2);
    expect(record.tasks[0]).toMatchObject({ state: 'failed', error: 'timed out after 0.05s' });
  });

  it('runs only the selected task, or a task and everything downstream', async () => {
    const ran: string[] = [];
    const execute: TaskExecutor = async (t) => {
      ran.push(t.task_key);
      return { writes: [] };
    };
    expect((await run(diamond, execute, { only: 'c' })).states).toEqual({ a: 'skipped', b: 'skipped', c: 'succeeded', d: 'skipped' });
    expect(ran).toEqual(['c']);
    ran.length = 0;
    const from = await run(diamond, execute, { from: 'b' });
    expect(from.states).toEqual({ a: 'skipped', b: 'succeeded', c: 'skipped', d: 'succeeded' });
    expect(from.record.state).toBe('succeeded');
    await expect(run(diamond, execute, { only: 'e' })).rejects.toThrow(UsageError);
  });

  it('keeps a run record that runs list and show read back', async () => {
    const { record, home } = await run(diamond, async () => ({ writes: [{ table: 'spark_catalog.s.t', version: 3, operation: 'MERGE', rowsInserted: 5, rowsUpdated: 1, rowsDeleted: 0 }] }));
    expect(listRuns(home, 'local').map((r) => r.runId)).toEqual([record.runId]);
    const loaded = loadRun(home, 'local', record.runId.slice(0, 18));
    expect(loaded.tasks.find((t) => t.key === 'a')!.writes[0]).toMatchObject({ version: 3, rowsInserted: 5 });
    expect(loaded.state).toBe('succeeded');
  });

  it('names in its record, once each and before the statements go out, the engine sessions its tasks report', async () => {
    const home = newHome();
    const saved: (string[] | undefined)[] = [];
    const { record } = await run(
      diamond,
      async (t, context) => {
        context.onSession?.(t.task_key === 'c' ? 'session-2' : 'session-1');
        saved.push(listRuns(home, 'local')[0]?.sessions);
        return { writes: [] };
      },
      { home },
    );
    expect(record.sessions).toEqual(['session-1', 'session-2']);
    expect(listRuns(home, 'local')[0]!.sessions).toEqual(['session-1', 'session-2']);
    expect(saved.every((sessions) => sessions && sessions.length > 0)).toBe(true);
  });

  it('refuses a graph with a cycle', async () => {
    await expect(run(job([task('a', ['b']), task('b', ['a'])]), async () => ({ writes: [] }))).rejects.toThrow(/cycle/);
  });
});
