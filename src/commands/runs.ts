import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import { listRuns, loadRun } from '../pipelines/runner/records.js';
import type { Command } from './command.js';
import { envCan } from './capability.js';
import { runsOnWorkspace } from './remoteRun.js';
import { runRecordData } from './run.js';

const LIST_COLUMNS = ['run_id', 'job', 'state', 'started_at', 'duration', 'tasks', 'failed_task'];

/** `lhctl runs list | show <id>`: the local runner's run records (the workspace's runs on Databricks). */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'Runs of the pipeline jobs: list, or show <run id> with each task and the Delta versions it wrote',
  positionals: [],
  verbs: [
    { name: 'list', summary: 'The newest runs, newest first', examples: ['lhctl runs list --limit 5'] },
    {
      name: 'show',
      summary: 'One run: each task, its state and the Delta versions it wrote',
      positionals: [{ name: 'id', description: 'run id (a unique prefix, or `latest`)', required: true }],
      examples: ['lhctl runs show latest'],
    },
  ],
  defaultVerb: 'list',
  options: {
    limit: { type: 'number', integer: true, min: 1, verbs: ['list'], description: 'List the newest N runs (default 20)', valueName: '<N>' },
  },
  examples: ['lhctl runs list', 'lhctl runs show latest', 'lhctl runs show 20261126T0015 --output json'],
  async run(ctx, args) {
    const [verb = 'list', id] = args.positionals;
    const limit = (args.options['limit'] as number | undefined) ?? 20;
    if (!envCan(ctx.profile, 'taskRunner')) return runsOnWorkspace(ctx, verb, args.positionals.slice(1), { limit });
    if (verb === 'show') {
      if (!id) throw new UsageError('lhctl runs show needs a run id', { hint: '`lhctl runs list` shows them; `latest` names the newest.' });
      return runRecordData(loadRun(ctx.settings.home, ctx.profile.name, id));
    }
    if (verb !== 'list') throw new UsageError(`unknown runs verb "${verb}"`, { hint: 'Use `lhctl runs list` or `lhctl runs show <id>`.' });
    const rows: Row[] = listRuns(ctx.settings.home, ctx.profile.name)
      .slice(0, limit)
      .map((r) => {
        const duration = r.endedAt ? `${((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).toFixed(1)} s` : null;
        const done = r.tasks.filter((t) => t.state === 'succeeded').length;
        const ran = r.tasks.filter((t) => t.note !== 'not selected').length;
        return [r.runId, r.job, r.state, r.startedAt, duration, `${done}/${ran}`, r.tasks.find((t) => t.state === 'failed')?.key ?? null];
      });
    return { data: { kind: 'table', title: `runs on ${ctx.profile.name} (newest first)`, columns: LIST_COLUMNS.map((name) => ({ name, type: 'string', nullable: true })), rows } };
  },
};
