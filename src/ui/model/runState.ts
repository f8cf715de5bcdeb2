import type { Row, Value } from '../../core/types.js';
import type { JobSettings } from '../../pipelines/jobs.js';
import { cellText } from './gridLayout.js';
import type { ResultModel } from './resultModel.js';

export const TASK_STATES = ['queued', 'running', 'retrying', 'succeeded', 'up-to-date', 'failed', 'skipped', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskView {
  key: string;
  dependsOn: string[];
  /** Depth in the graph: 0 for tasks with no dependencies. */
  level: number;
  state: TaskState;
  duration: string | undefined;
  attempts: string | undefined;
  /** What an incremental task read: source versions and rows. */
  read: string | undefined;
  versions: string | undefined;
  rows: string | undefined;
  error: string | undefined;
}

/** The job's tasks in graph order (by depth, then name), all queued. */
export function taskGraph(job: JobSettings): TaskView[] {
  const deps = new Map(job.tasks.map((t) => [t.task_key, (t.depends_on ?? []).map((d) => d.task_key)]));
  const levels = new Map<string, number>();
  const level = (key: string, seen: Set<string> = new Set()): number => {
    const known = levels.get(key);
    if (known !== undefined) return known;
    if (seen.has(key)) return 0;
    seen.add(key);
    const value = Math.max(-1, ...(deps.get(key) ?? []).map((d) => level(d, seen))) + 1;
    levels.set(key, value);
    return value;
  };
  return job.tasks
    .map((t) => ({
      key: t.task_key,
      dependsOn: deps.get(t.task_key) ?? [],
      level: level(t.task_key),
      state: 'queued' as TaskState,
      duration: undefined,
      attempts: undefined,
      read: undefined,
      versions: undefined,
      rows: undefined,
      error: undefined,
    }))
    .sort((a, b) => a.level - b.level || a.key.localeCompare(b.key));
}

function asState(value: Value | undefined): TaskState | undefined {
  const text = String(value ?? '').toLowerCase();
  if ((TASK_STATES as readonly string[]).includes(text)) return text as TaskState;
  if (text === 'success' || text === 'ok') return 'succeeded';
  if (text === 'pending' || text === 'blocked') return 'queued';
  if (text === 'error' || text === 'timedout' || text === 'timed_out') return 'failed';
  return undefined;
}

const FIELD_NAMES: Record<'task' | 'state' | 'duration' | 'attempts' | 'read' | 'versions' | 'rows' | 'error', string[]> = {
  task: ['task', 'task_key', 'key'],
  state: ['state', 'status', 'result'],
  duration: ['duration', 'duration_s', 'duration_ms', 'took'],
  attempts: ['attempts', 'attempt', 'retries'],
  read: ['read', 'reads', 'source_versions'],
  versions: ['versions', 'delta_versions', 'wrote_versions', 'version'],
  rows: ['rows', 'rows_written', 'num_output_rows'],
  error: ['error', 'message', 'failure'],
};

/** Merges a command's per-task table (from `run` or `runs <id>`) into the graph, matching by task key. */
export function mergeTaskRows(tasks: readonly TaskView[], columns: readonly string[], rows: readonly Row[]): TaskView[] {
  const col = (field: keyof typeof FIELD_NAMES): number => columns.findIndex((c) => FIELD_NAMES[field].includes(c.toLowerCase()));
  const at = { task: col('task'), state: col('state'), duration: col('duration'), attempts: col('attempts'), read: col('read'), versions: col('versions'), rows: col('rows'), error: col('error') };
  if (at.task < 0) return [...tasks];
  const text = (row: Row, i: number): string | undefined => (i < 0 || row[i] === null || row[i] === undefined ? undefined : cellText(row[i]));
  const byKey = new Map(rows.map((r) => [String(r[at.task]), r]));
  return tasks.map((t) => {
    const row = byKey.get(t.key);
    if (!row) return t;
    return {
      ...t,
      state: asState(row[at.state]) ?? t.state,
      duration: text(row, at.duration) ?? t.duration,
      attempts: text(row, at.attempts) ?? t.attempts,
      read: text(row, at.read) ?? t.read,
      versions: text(row, at.versions) ?? t.versions,
      rows: text(row, at.rows) ?? t.rows,
      error: text(row, at.error) ?? t.error,
    };
  });
}

/** A live progress line such as `silver_customers running` or `task gold_fact_sales failed: …`. */
export function applyProgress(tasks: readonly TaskView[], message: string): TaskView[] {
  const match = /^(?:task\s+)?([a-z0-9_]+)[\s:]+(queued|running|retrying|succeeded|up-to-date|failed|skipped|cancelled)\b[\s:(-]*(.*)$/i.exec(message.trim());
  if (!match) return [...tasks];
  const [, key, state, rest] = match;
  return tasks.map((t) => (t.key === key ? { ...t, state: state!.toLowerCase() as TaskState, ...(state!.toLowerCase() === 'failed' && rest ? { error: rest } : {}) } : t));
}

/** The runs of one job that `lhctl runs list` returned, for the navigator (run_id, job, state, started_at, …). */
/** Resolves when the command behind the model has delivered everything. */
function finished(model: ResultModel): Promise<void> {
  return new Promise<void>((resolve) => {
    if (model.done) return resolve();
    const off = model.subscribe(() => {
      if (model.done) {
        off();
        resolve();
      }
    });
  });
}

export async function runsOfJob(model: ResultModel, jobName: string): Promise<{ runId: string; label: string }[]> {
  await finished(model);
  const table = model.lastTable;
  if (!table) return [];
  const at = (name: string): number => table.columns.findIndex((c) => c.name === name);
  const [id, job, state, started] = [at('run_id'), at('job'), at('state'), at('started_at')];
  return table.rows
    .filter((row) => job < 0 || row[job] === jobName)
    .slice(0, 30)
    .map((row) => ({
      runId: cellText(row[Math.max(0, id)]),
      label: `${state >= 0 ? `${cellText(row[state])} ` : ''}${started >= 0 ? cellText(row[started]).slice(5, 16).replace('T', ' ') : cellText(row[Math.max(0, id)])}`,
    }));
}

/** The rows of a finished command's tables, by title: the navigator reads `shares list` and `shares show` this way. */
export async function tablesOf(model: ResultModel): Promise<Map<string, Array<Record<string, string>>>> {
  await finished(model);
  const byTitle = new Map<string, Array<Record<string, string>>>();
  for (const table of model.tables) {
    const rows = table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i] === null || row[i] === undefined ? '' : cellText(row[i])])));
    byTitle.set(table.title ?? '', rows);
  }
  return byTitle;
}
