import { CancelledError, EngineError } from '../core/errors.js';
import type { DatabricksWorkspace, jobs } from '../engines/databricks/workspace.js';
import { WorkspaceNotFoundError } from '../engines/databricks/workspaceErrorTypes.js';
import { ownedJobs } from './deploy.js';

export interface RemoteTaskState {
  taskKey: string;
  /** PENDING, QUEUED, RUNNING, TERMINATED, SKIPPED, INTERNAL_ERROR, … */
  lifeCycle: string;
  /** SUCCESS, FAILED, TIMEDOUT, CANCELED, UPSTREAM_FAILED, … once the task ended. */
  result: string | undefined;
  runId: number | undefined;
  attempt: number;
  message: string | undefined;
}

export interface RemoteRun {
  runId: number;
  jobId: number | undefined;
  name: string | undefined;
  lifeCycle: string;
  result: string | undefined;
  message: string | undefined;
  url: string | undefined;
  startedAt: string | undefined;
  tasks: RemoteTaskState[];
}

export interface RemoteRunOutcome extends RemoteRun {
  succeeded: boolean;
  /** The error text of each failed task, read from its run output. */
  failures: Array<{ taskKey: string; error: string }>;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** Between polls of runs/get; 5 s by default. */
  pollIntervalMs?: number;
  /** Give up following (the run keeps going) after this long; 12 h by default. */
  timeoutMs?: number;
  /** Called with one line per task or run state change. */
  onChange?: (line: string) => void;
}

const TERMINAL = new Set(['TERMINATED', 'SKIPPED', 'INTERNAL_ERROR']);

export function remoteRun(run: jobs.Run): RemoteRun {
  return {
    runId: Number(run.run_id),
    jobId: run.job_id === undefined ? undefined : Number(run.job_id),
    name: run.run_name,
    lifeCycle: run.state?.life_cycle_state ?? 'PENDING',
    result: run.state?.result_state,
    message: run.state?.state_message || undefined,
    url: run.run_page_url,
    startedAt: run.start_time ? new Date(Number(run.start_time)).toISOString() : undefined,
    tasks: (run.tasks ?? []).map((t) => ({
      taskKey: t.task_key,
      lifeCycle: t.state?.life_cycle_state ?? 'PENDING',
      result: t.state?.result_state,
      runId: t.run_id === undefined ? undefined : Number(t.run_id),
      attempt: Number(t.attempt_number ?? 0),
      message: t.state?.state_message || undefined,
    })),
  };
}

/** The workspace job id of an lhctl job on an env; deploy must have created it. */
export async function deployedJobId(workspace: DatabricksWorkspace, env: string, jobName: string): Promise<number> {
  const { byName } = await ownedJobs(workspace, env);
  const jobId = byName.get(jobName);
  if (jobId === undefined) {
    throw new WorkspaceNotFoundError(`job ${jobName} is not deployed on env "${env}"`, {
      status: 404,
      errorCode: 'RESOURCE_DOES_NOT_EXIST',
      hint: `Run \`lhctl deploy --env ${env}\` first.`,
    });
  }
  return jobId;
}

/** run-now on the deployed job; returns at once with the run id. */
export async function startRemoteRun(workspace: DatabricksWorkspace, env: string, jobName: string): Promise<{ jobId: number; runId: number }> {
  const jobId = await deployedJobId(workspace, env, jobName);
  return { jobId, runId: await workspace.runNow(jobId) };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function stateText(lifeCycle: string, result: string | undefined): string {
  return result ? `${lifeCycle}/${result}` : lifeCycle;
}

/** Poll a run until it ends, reporting each task's state change; read failed tasks' errors. */
export async function followRemoteRun(workspace: DatabricksWorkspace, runId: number, options: FollowOptions = {}): Promise<RemoteRunOutcome> {
  const interval = options.pollIntervalMs ?? 5000;
  const deadline = Date.now() + (options.timeoutMs ?? 12 * 3600_000);
  const seen = new Map<string, string>();
  for (;;) {
    if (options.signal?.aborted) {
      throw new CancelledError(`stopped following run ${runId}; it keeps running on the workspace`, { hint: `lhctl runs cancel ${runId} stops it.` });
    }
    const run = remoteRun(await workspace.getRun(runId));
    const report = (key: string, text: string): void => {
      if (seen.get(key) !== text) options.onChange?.(`${key}: ${text}`);
      seen.set(key, text);
    };
    report('run', stateText(run.lifeCycle, run.result));
    for (const task of run.tasks) report(task.taskKey, stateText(task.lifeCycle, task.result) + (task.attempt > 0 ? ` (retry ${task.attempt})` : ''));
    if (TERMINAL.has(run.lifeCycle)) return withFailures(workspace, run);
    if (Date.now() >= deadline) {
      throw new EngineError(`run ${runId} is still ${run.lifeCycle} after the follow timeout`, { hint: `It keeps running; check it with \`lhctl runs show ${runId}\`.` });
    }
    await sleep(interval, options.signal);
  }
}

export async function withFailures(workspace: DatabricksWorkspace, run: RemoteRun): Promise<RemoteRunOutcome> {
  const failures: RemoteRunOutcome['failures'] = [];
  for (const task of run.tasks) {
    if (!task.result || task.result === 'SUCCESS' || task.result === 'EXCLUDED' || task.result === 'UPSTREAM_FAILED' || task.runId === undefined) continue;
    const output = await workspace.getRunOutput(task.runId);
    failures.push({ taskKey: task.taskKey, error: output.error || task.message || task.result });
  }
  return { ...run, succeeded: run.result === 'SUCCESS', failures };
}

/** Recent runs of the env's deployed jobs, newest first. */
export async function listRemoteRuns(workspace: DatabricksWorkspace, env: string, options: { jobName?: string; limit?: number } = {}): Promise<RemoteRun[]> {
  const limit = options.limit ?? 20;
  const jobIds = options.jobName ? [await deployedJobId(workspace, env, options.jobName)] : [...(await ownedJobs(workspace, env)).byName.values()];
  const runs: RemoteRun[] = [];
  for (const jobId of jobIds) runs.push(...(await workspace.listRuns({ job_id: jobId }, limit)).map((r) => remoteRun(r as jobs.Run)));
  return runs.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '')).slice(0, limit);
}
