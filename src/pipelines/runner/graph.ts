import { UsageError } from '../../core/errors.js';
import { closestNames } from '../../core/suggest.js';
import type { JobSettings, Task } from '../jobs.js';

export interface Selection {
  /** Run only this task; its dependencies are taken as done. */
  only?: string;
  /** Run this task and everything downstream of it. */
  from?: string;
}

function requireTask(job: JobSettings, key: string, flag: string): void {
  if (job.tasks.some((t) => t.task_key === key)) return;
  const near = closestNames(
    key,
    job.tasks.map((t) => t.task_key),
  );
  throw new UsageError(`${flag} ${key}: no such task in ${job.name}`, {
    hint: near.length ? `Did you mean ${flag} ${near[0]}?` : `Tasks: ${job.tasks.map((t) => t.task_key).join(', ')}.`,
  });
}

export function dependenciesOf(task: Task): string[] {
  return (task.depends_on ?? []).map((d) => d.task_key);
}

/** The tasks `key` depends on, directly or not, in the job's order. */
export function upstreamOf(job: JobSettings, key: string): Task[] {
  const needed = new Set<string>();
  const byKey = new Map(job.tasks.map((t) => [t.task_key, t]));
  const need = (of: string): void => {
    for (const dep of dependenciesOf(byKey.get(of)!)) if (!needed.has(dep)) needed.add(dep), need(dep);
  };
  need(key);
  return job.tasks.filter((t) => needed.has(t.task_key));
}

/** Checks that every dependency names a task of the job and that there is no cycle. */
export function validateGraph(job: JobSettings): void {
  const keys = new Set(job.tasks.map((t) => t.task_key));
  for (const task of job.tasks) {
    for (const dep of dependenciesOf(task)) {
      if (!keys.has(dep)) throw new UsageError(`${job.name}: task ${task.task_key} depends on unknown task ${dep}`);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const byKey = new Map(job.tasks.map((t) => [t.task_key, t]));
  const visit = (key: string, path: string[]): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') throw new UsageError(`${job.name}: dependency cycle ${[...path, key].join(' → ')}`);
    state.set(key, 'visiting');
    for (const dep of dependenciesOf(byKey.get(key)!)) visit(dep, [...path, key]);
    state.set(key, 'done');
  };
  for (const key of keys) visit(key, []);
}

/** The task keys a selection runs; the others are reported as skipped. */
export function selectTasks(job: JobSettings, selection: Selection): Set<string> {
  if (selection.only && selection.from) throw new UsageError('--only and --from cannot be combined');
  if (selection.only) {
    requireTask(job, selection.only, '--only');
    return new Set([selection.only]);
  }
  if (!selection.from) return new Set(job.tasks.map((t) => t.task_key));
  requireTask(job, selection.from, '--from');
  const selected = new Set([selection.from]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const task of job.tasks) {
      if (!selected.has(task.task_key) && dependenciesOf(task).some((d) => selected.has(d))) {
        selected.add(task.task_key);
        grew = true;
      }
    }
  }
  return selected;
}
