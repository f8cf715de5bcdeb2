import { UsageError } from '../core/errors.js';
import type { jobs } from '../ops/workspace.js';
import { applyDeploy, planDeploy, planIsEmpty, planRows, type SqlAsset } from '../ops/deploy.js';
import { isSqlTask, JOB_ALIASES, jobDefinitions, sqlFilePath, sqlNameOfTask, type Task } from '../pipelines/jobs.js';
import { streamScript } from '../pipelines/streamJob.js';
import type { Profile } from '../profiles/profile.js';
import { renderSqlFile } from '../sql/index.js';
import { requireWritable } from './arm.js';
import type { Command, CommandContext } from './command.js';
import { governancePlanOf, governanceRows } from './grants.js';
import { loadPolicy } from '../ops/governance/policy.js';
import { textTable, workspaceOf } from './databricksContext.js';

/** Renders one bundled SQL file (`silver/orders`) for a profile. */
export type SqlRenderer = (profile: Profile, sqlName: string) => string;

const PLAN_COLUMNS = ['kind', 'object', 'action', 'changes'];

/** The jobs to deploy: all of them, or the one `--job` names (alias or full name). */
function selectedJobs(profile: Profile, job: string | undefined): jobs.JobSettings[] {
  const all = jobDefinitions(profile) as jobs.JobSettings[];
  if (job === undefined) return all;
  const name = JOB_ALIASES[job] ?? job;
  const found = all.filter((j) => j.name === name);
  if (found.length === 0) {
    throw new UsageError(`no job "${job}"`, { hint: `Jobs: ${all.map((j) => j.name).join(', ')} (or ${Object.keys(JOB_ALIASES).join(', ')}).` });
  }
  return found;
}

/** Every file the selected jobs' tasks run, at its workspace path: SQL rendered for the env, the stream script as bundled. */
function sqlAssets(profile: Profile, selected: jobs.JobSettings[], render: SqlRenderer): SqlAsset[] {
  const tasks = selected.flatMap((j) => (j.tasks ?? []) as Task[]);
  const names = new Set(tasks.filter(isSqlTask).map(sqlNameOfTask));
  const sql = [...names].sort().map((name) => ({ workspacePath: sqlFilePath(profile, name), text: render(profile, name) }));
  // A .py file without a notebook header is imported as a workspace file, as the job's python_file needs.
  const scripts = [...new Set(tasks.flatMap((t) => (isSqlTask(t) ? [] : [t.spark_python_task.python_file])))].map((workspacePath) => ({ workspacePath, text: streamScript() }));
  return [...sql, ...scripts];
}

/** `lhctl deploy`, with the SQL renderer passed in so the command does not fix how templates render. */
export function deployCommandWith(render: SqlRenderer): Command {
  return {
    name: 'deploy',
    summary: 'Upload the rendered SQL and create or update the jobs on a Databricks env',
    positionals: [],
    options: {
      plan: { type: 'boolean', description: 'Show what would be created, updated or left unchanged; write nothing' },
      'dry-run': { type: 'boolean', description: 'Same as --plan' },
      job: { type: 'string', complete: 'job', description: 'Deploy one job (ingest, transform, quality or its full name)', valueName: '<job>' },
    },
    needs: ['jobs'],
    examples: ['lhctl deploy --env qa --plan', 'lhctl deploy --env qa', 'lhctl deploy --env prod --job transform --yes'],
    async run(ctx, args) {
      const workspace = await workspaceOf(ctx, 'deploy');
      const job = typeof args.options['job'] === 'string' ? args.options['job'] : undefined;
      const selected = selectedJobs(ctx.profile, job);
      ctx.ui.progress(`comparing ${selected.length} job(s) and their SQL files with env ${ctx.profile.name}`);
      const plan = await planDeploy(workspace, ctx.profile.name, sqlAssets(ctx.profile, selected, render), selected);
      for (const warning of plan.warnings) ctx.ui.warn(warning);
      const planOnly = args.options['plan'] === true || args.options['dry-run'] === true;
      if (planOnly) {
        const governance = job === undefined ? await governanceRowsOf(ctx) : [];
        return { data: textTable(`deploy plan for ${ctx.profile.name}`, PLAN_COLUMNS, [...planRows(plan), ...governance]) };
      }
      if (planIsEmpty(plan)) {
        return { data: { kind: 'message', text: `env ${ctx.profile.name} is up to date: nothing to deploy.` } };
      }
      for (const [kind, object, action, changes] of planRows(plan)) {
        if (action !== 'unchanged') ctx.ui.progress(`${action} ${kind} ${object}${changes ? `\n  ${changes.replaceAll('\n', '\n  ')}` : ''}`);
      }
      const changed = planRows(plan).filter((r) => r[2] !== 'unchanged').length;
      await requireWritable(ctx, { description: `deploy ${changed} change(s)` });
      const applied = await applyDeploy(workspace, plan, (line) => ctx.ui.progress(line));
      return { data: textTable(`deployed to ${ctx.profile.name}`, PLAN_COLUMNS, planRows(applied)) };
    },
  };
}

/**
 * The governance plan's statements as deploy plan rows (kind, object, change, SQL); `lhctl grants apply`
 * runs them. A warehouse that cannot be read leaves them out with a warning, not the whole plan.
 */
async function governanceRowsOf(ctx: CommandContext): Promise<string[][]> {
  try {
    const { changes, warnings } = await governancePlanOf(ctx, loadPolicy());
    for (const warning of warnings) ctx.ui.warn(warning);
    if (changes.length > 0) ctx.ui.warn(`${changes.length} governance statement(s) pending: lhctl grants apply --env ${ctx.profile.name} runs them`);
    return governanceRows(changes);
  } catch (error) {
    ctx.ui.warn(`governance plan left out: ${(error as Error).message}; see lhctl grants plan --env ${ctx.profile.name}`);
    return [];
  }
}

/** Renders a bundled SQL file for a Databricks env: its landing zone is the profile's volume. */
export function renderForWorkspace(profile: Profile, sqlName: string): string {
  return renderSqlFile(sqlName, { profile, landing: profile.databricks?.landing ?? '' });
}

export const deployCommand: Command = deployCommandWith(renderForWorkspace);
