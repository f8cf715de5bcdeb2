import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { closestNames } from '../../core/suggest.js';
import type { SourceRead } from './sourceRanges.js';

/** `up-to-date`: an incremental task whose sources had not moved since its watermarks; it counts as done. */
export type TaskState = 'queued' | 'running' | 'retrying' | 'succeeded' | 'up-to-date' | 'failed' | 'skipped' | 'cancelled';
export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

/** One Delta commit a task made, as DESCRIBE HISTORY reports it. */
export interface TableWrite {
  table: string;
  version: number;
  operation: string;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
}

export interface TaskRecord {
  key: string;
  sql: string;
  state: TaskState;
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  writes: TableWrite[];
  /** What an incremental task read of each source (absent in records of older versions). */
  reads?: SourceRead[];
  error: string | null;
  /** Why a task was skipped: not selected, or an upstream task failed. */
  note: string | null;
}

export interface RunRecord {
  runId: string;
  job: string;
  env: string;
  state: RunState;
  startedAt: string;
  endedAt: string | null;
  selection: { only: string | null; from: string | null };
  /** Process that ran it: a record left `running` by a dead process is reported as interrupted. */
  pid: number;
  /**
   * Engine sessions its statements went to. When the process dies they keep running on the server,
   * so the env's next run stops them first (see leftovers.ts). Absent in records of older versions.
   */
  sessions?: string[];
  /** When a later run stopped what this interrupted run had left running. */
  leftoversStoppedAt?: string;
  tasks: TaskRecord[];
}

export function runsDir(home: string, env: string): string {
  return join(home, 'runs', env);
}

/** Sortable and readable: `20261126T001502Z-transform-4f2a`. */
export function newRunId(job: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const short = job.replace(/^retail_/, '').replace(/_pipeline$|_checks$/, '');
  return `${stamp}-${short}-${Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, '0')}`;
}

/** Written whole to a temporary file and renamed, so a killed run never leaves half a record. */
export function saveRun(home: string, record: RunRecord): void {
  const dir = runsDir(home, record.env);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.runId}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function withLiveness(record: RunRecord): RunRecord {
  return record.state === 'running' && record.pid !== process.pid && !alive(record.pid) ? { ...record, state: 'interrupted' } : record;
}

/** Runs of an env, newest first. */
export function listRuns(home: string, env: string): RunRecord[] {
  const dir = runsDir(home, env);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reverse()
    .map((f) => withLiveness(JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunRecord));
}

/** A run by id, or by a unique prefix of it; `latest` names the newest. */
export function loadRun(home: string, env: string, id: string): RunRecord {
  const runs = listRuns(home, env);
  if (id === 'latest' && runs[0]) return runs[0];
  const matches = runs.filter((r) => r.runId === id || r.runId.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  const near = closestNames(
    id,
    runs.map((r) => r.runId),
  );
  throw new UsageError(matches.length > 1 ? `run id "${id}" is ambiguous` : `no run "${id}" in env ${env}`, {
    hint: near.length ? `Did you mean ${near[0]}? \`lhctl runs list\` shows them.` : '`lhctl runs list` shows the runs of this env.',
  });
}
