import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import { followRemoteRun, listRemoteRuns, remoteRun, startRemoteRun, withFailures, type FollowOptions, type RemoteRunOutcome } from '../ops/jobsRemote.js';
import { JOB_ALIASES } from '../pipelines/jobs.js';
import { requireWritable } from './arm.js';
import type { CommandContext, CommandOutcome } from './command.js';
import { textTable, workspaceOf } from './databricksContext.js';

/**
 * The Databricks side of `lhctl run` and `lhctl runs`, for the run/runs commands to call when the
 * env's engine is databricks. Each returns command data like any other command.
 */

function outcomeData(title: string, outcome: RemoteRunOutcome): CommandOutcome {
  const errors = new Map(outcome.failures.map((f) => [f.taskKey, f.error]));
  const rows: Row[] = outcome.tasks.map((t) => [t.taskKey, t.lifeCycle, t.result ?? null, t.attempt, errors.get(t.taskKey) ?? null]);
  return {
    data: {
      kind: 'multi',
      results: [
        {
          kind: 'record',
          title,
          data: { run_id: outcome.runId, job_id: outcome.jobId ?? null, state: outcome.lifeCycle, result: outcome.result ?? null, message: outcome.message ?? null, url: outcome.url ?? null },
        },
        textTable('tasks', ['task', 'state', 'result', 'retries', 'error'], rows),
      ],
    },
    exitCode: outcome.succeeded ? 0 : 1,
  };
}

/** `lhctl run <job> --env qa`: run-now, then follow the tasks until the run ends (unless `wait` is false). */
export async function runOnWorkspace(ctx: CommandContext, job: string, options: { wait: boolean; follow?: Omit<FollowOptions, 'signal' | 'onChange'> }): Promise<CommandOutcome> {
  const workspace = await workspaceOf(ctx, 'run');
  const jobName = JOB_ALIASES[job] ?? job;
  await requireWritable(ctx, `run job ${jobName}`);
  const { runId } = await startRemoteRun(workspace, ctx.profile.name, jobName);
  if (!options.wait) return { data: { kind: 'message', text: String(runId) } };
  ctx.ui.progress(`run ${runId} of ${jobName} started on ${ctx.profile.name}`);
  const outcome = await followRemoteRun(workspace, runId, { ...options.follow, signal: ctx.signal, onChange: (line) => ctx.ui.progress(line) });
  for (const failure of outcome.failures) ctx.ui.warn(`task ${failure.taskKey} failed: ${failure.error}`);
  return outcomeData(`run ${runId} of ${jobName}: ${outcome.result ?? outcome.lifeCycle}`, outcome);
}

function runIdOf(text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`"${text ?? ''}" is not a run id`, { hint: 'Run ids are numbers; `lhctl runs list` shows them.' });
  return Number(text);
}

/** `lhctl runs list [job] | show <run-id> | cancel <run-id>` on the workspace. */
export async function runsOnWorkspace(ctx: CommandContext, verb: string, operands: string[], options: { limit?: number } = {}): Promise<CommandOutcome> {
  const workspace = await workspaceOf(ctx, 'runs');
  switch (verb) {
    case 'list': {
      const job = operands[0];
      const runs = await listRemoteRuns(workspace, ctx.profile.name, { jobName: job ? (JOB_ALIASES[job] ?? job) : undefined, limit: options.limit });
      const rows: Row[] = runs.map((r) => [r.runId, r.name ?? null, r.lifeCycle, r.result ?? null, r.startedAt ?? null]);
      return { data: textTable(`runs on ${ctx.profile.name}`, ['run_id', 'job', 'state', 'result', 'started'], rows) };
    }
    case 'show': {
      const runId = runIdOf(operands[0]);
      const outcome = await withFailures(workspace, remoteRun(await workspace.getRun(runId)));
      return { ...outcomeData(`run ${runId}`, outcome), exitCode: 0 };
    }
    case 'cancel': {
      const runId = runIdOf(operands[0]);
      await requireWritable(ctx, `cancel run ${runId}`);
      await workspace.cancelRun(runId);
      return { data: { kind: 'message', text: `cancel requested for run ${runId}` } };
    }
    default:
      throw new UsageError(`unknown runs verb "${verb}"`, { hint: 'Verbs: list, show, cancel.' });
  }
}
