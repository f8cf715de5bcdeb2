import { UsageError } from '../core/errors.js';
import type { SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { loadSql } from '../sql/index.js';
import { changeSources } from '../sql/watermarks.js';
import { JOB_ALIASES, findJob, jobDefinitions, sqlNameOfTask, type ScheduledJob } from './jobs.js';
import { pipelineTarget } from './landing.js';
import type { Selection } from './runner/graph.js';
import type { RunRecord } from './runner/records.js';
import { runJob, type TaskEvent } from './runner/runner.js';
import { stopInterruptedRuns } from './runner/leftovers.js';
import { sqlTaskExecutor } from './runner/sqlTask.js';
import { liveSourcesOf } from './liveSources.js';

export interface PipelineRunOptions {
  selection?: Selection;
  parallelism?: number;
  /** First retry delay; locally 2 s rather than the 30 s a Databricks task waits. */
  retryBaseMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: TaskEvent) => void;
  /** Incremental tasks read their sources whole, at their newest versions, instead of what is new. */
  fullRefresh?: boolean;
  /** Lines for the operator that are not task events, e.g. what an interrupted run left running. */
  onNotice?: (message: string) => void;
}

/** The job an operator named: an alias (ingest|transform|quality) or a full job name. */
export function resolveJob(profile: Profile, nameOrAlias: string): ScheduledJob {
  const job = findJob(profile, nameOrAlias);
  if (job) return job;
  const names = [...Object.keys(JOB_ALIASES), ...jobDefinitions(profile).map((j) => j.name)];
  throw new UsageError(`no job "${nameOrAlias}"`, { hint: `Jobs: ${names.join(', ')}.` });
}

/**
 * A full refresh ignores watermarks, so it means something only for a job with incremental tasks:
 * ingestion appends each landed file once and the checks judge whole tables.
 */
export function checkFullRefresh(job: ScheduledJob): void {
  if (job.tasks.some((t) => changeSources(loadSql(sqlNameOfTask(t))).length > 0)) return;
  throw new UsageError(`--full-refresh applies to jobs with incremental tasks; ${job.name} has none`, {
    hint: 'lhctl run transform --full-refresh rebuilds silver and gold from all of bronze.',
  });
}

/** Runs one job of the env's pipeline on an engine, with the bundled SQL rendered for the env. */
export async function runPipelineJob(engine: SqlEngine, profile: Profile, settings: Settings, nameOrAlias: string, options: PipelineRunOptions = {}): Promise<RunRecord> {
  const job = resolveJob(profile, nameOrAlias);
  if (options.fullRefresh) checkFullRefresh(job);
  for (const { runId, stopped } of await stopInterruptedRuns(engine, settings.home, profile.name)) {
    options.onNotice?.(`interrupted run ${runId}: ${stopped === 0 ? 'none of its statements was still running' : `stopped ${stopped} statement${stopped === 1 ? '' : 's'} it had left running`}`);
  }
  const live = liveSourcesOf(profile, settings, options.onNotice);
  const executor = sqlTaskExecutor(engine, pipelineTarget(profile, settings), { fullRefresh: options.fullRefresh === true, ...(live ? { live } : {}) });
  try {
    return await runJob(job, executor, {
      home: settings.home,
      env: profile.name,
      retryBaseMs: options.retryBaseMs ?? 2000,
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.parallelism ? { parallelism: options.parallelism } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  } finally {
    await executor.close();
  }
}

/** A task event as one progress line, e.g. `silver_customers retrying: …`; the console parses these. */
export function taskEventLine(event: TaskEvent): string {
  const attempt = event.state === 'running' && event.attempt > 1 ? ` (attempt ${event.attempt})` : '';
  return `${event.task} ${event.state}${attempt}${event.detail ? `: ${event.detail}` : ''}`;
}
