import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import { checkFullRefresh, resolveJob, runPipelineJob, taskEventLine } from '../pipelines/execute.js';
import type { RunRecord, TableWrite } from '../pipelines/runner/records.js';
import type { SourceRead } from '../pipelines/runner/sourceRanges.js';
import type { Command, CommandOutcome, ParsedArgs } from './command.js';
import { envCan } from './capability.js';
import { requireWritable } from './arm.js';
import { runOnWorkspace } from './remoteRun.js';

const TASK_COLUMNS = ['task', 'state', 'attempts', 'duration', 'read', 'versions', 'rows', 'error'];

function seconds(ms: number | null): string | null {
  return ms === null ? null : `${(ms / 1000).toFixed(1)} s`;
}

function versionsText(writes: TableWrite[]): string | null {
  return writes.length ? writes.map((w) => `${w.table.split('.').pop()}@${w.version}`).join(' ') : null;
}

function rowsText(writes: TableWrite[]): string | null {
  return writes.length ? writes.map((w) => `+${w.rowsInserted} ~${w.rowsUpdated} -${w.rowsDeleted}`).join(' ') : null;
}

/** Per source: the versions read and the rows they held, e.g. `bronze.orders v4..6 1203 rows`. */
function readText(reads: SourceRead[] | undefined): string | null {
  if (!reads?.length) return null;
  return reads.map((r) => `${r.source} ${r.toVersion < r.fromVersion ? `nothing new after v${r.toVersion}` : `v${r.fromVersion}..${r.toVersion} ${r.rows} rows`}`).join('; ');
}

/** A run record as command data: a summary record and one row per task. Shared with `runs show`. */
export function runRecordData(record: RunRecord): CommandOutcome {
  const rows: Row[] = record.tasks.map((t) => [t.key, t.state, t.attempts, seconds(t.durationMs), readText(t.reads), versionsText(t.writes), rowsText(t.writes), t.error ?? t.note]);
  const ended = record.endedAt ? Date.parse(record.endedAt) - Date.parse(record.startedAt) : null;
  const count = (state: string): number => record.tasks.filter((t) => t.state === state).length;
  return {
    data: {
      kind: 'multi',
      results: [
        {
          kind: 'record',
          title: `run ${record.runId} of ${record.job} on ${record.env}: ${record.state}`,
          data: {
            run_id: record.runId,
            job: record.job,
            env: record.env,
            state: record.state,
            started_at: record.startedAt,
            ended_at: record.endedAt,
            duration: seconds(ended),
            succeeded: count('succeeded'),
            up_to_date: count('up-to-date'),
            failed: count('failed'),
            skipped: count('skipped'),
            rows_read: record.tasks.reduce((n, t) => n + (t.reads ?? []).reduce((m, r) => m + r.rows, 0), 0),
            rows_written: record.tasks.reduce((n, t) => n + t.writes.reduce((m, w) => m + w.rowsInserted + w.rowsUpdated + w.rowsDeleted, 0), 0),
          },
        },
        { kind: 'table', title: 'tasks', columns: TASK_COLUMNS.map((name) => ({ name, type: name === 'attempts' ? 'int' : 'string', nullable: true })), rows },
      ],
    },
    exitCode: record.state === 'succeeded' ? 0 : 1,
  };
}

function optionText(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  if (value === undefined || value === false) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} needs a task name`);
  return value;
}

/** `lhctl run ingest|transform|quality|<job>`: the job's task graph on the env, live task states on stderr. */
export const runCommand: Command = {
  name: 'run',
  summary: 'Run a pipeline job: ingest | transform | quality | <job name>; exit 1 when a task fails',
  needs: ['delta'],
  positionals: [{ name: 'job', description: 'ingest, transform, quality or a job name', required: true, complete: 'job' }],
  options: {
    only: { type: 'string', description: 'Run only this task (its dependencies are taken as done)', valueName: '<task>' },
    from: { type: 'string', description: 'Run this task and everything downstream of it', valueName: '<task>' },
    parallelism: { type: 'number', integer: true, min: 1, description: 'Tasks at once on the local engine (default 2)', valueName: '<N>' },
    'full-refresh': { type: 'boolean', description: 'Read every source whole instead of what is new since the watermarks (same tables, more work)' },
  },
  presentation: { view: (args) => (args.positionals[0] ? { kind: 'run', job: args.positionals[0] } : { kind: 'result' }) },
  examples: ['lhctl run ingest', 'lhctl run transform --from gold_fact_sales', 'lhctl run transform --full-refresh', 'lhctl run quality --output json'],
  async run(ctx, args) {
    const job = args.positionals[0];
    if (!job) throw new UsageError('lhctl run needs a job: ingest, transform, quality or a job name');
    const only = optionText(args, 'only');
    const from = optionText(args, 'from');
    const fullRefresh = args.options['full-refresh'] === true;
    if (!envCan(ctx.profile, 'taskRunner')) {
      if (only || from || fullRefresh) {
        throw new UsageError('--only, --from and --full-refresh apply to the local runner', {
          hint: "On Databricks, repair the run in the workspace; for a full refresh, delete the job's rows from <silver>.pipeline_watermarks first.",
        });
      }
      return runOnWorkspace(ctx, job, { wait: true });
    }
    const parallelism = args.options['parallelism'] as number | undefined;
    if (fullRefresh) checkFullRefresh(resolveJob(ctx.profile, job));
    await requireWritable(ctx, `run job ${job}`);
    const engine = await ctx.engine();
    const record = await runPipelineJob(engine, ctx.profile, ctx.settings, job, {
      selection: { ...(only ? { only } : {}), ...(from ? { from } : {}) },
      ...(parallelism ? { parallelism } : {}),
      fullRefresh,
      signal: ctx.signal,
      onEvent: (event) => ctx.ui.progress(taskEventLine(event)),
      onNotice: (message) => ctx.ui.progress(message),
    });
    return runRecordData(record);
  },
};
