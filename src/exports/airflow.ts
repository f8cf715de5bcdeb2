import { basename } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { INGESTION_JOB, QUALITY_JOB, scheduledJobs, TRANSFORMATION_JOB, type ScheduledJob as JobSettings, type SqlTask as Task } from '../pipelines/jobs.js';
import { STREAM_JOB, streamJob } from '../pipelines/streamJob.js';
import type { Profile } from '../profiles/profile.js';
import { generatedHeader, type ExportFile } from './files.js';
import { python } from './python.js';
import { airflowCron } from './quartzCron.js';

/**
 * Jobs that run after another job's success rather than on their clock: the quality checks judge
 * the transformation's result, so their DAG is scheduled on the transformation's asset.
 */
const RUNS_AFTER: Record<string, string> = { [QUALITY_JOB]: TRANSFORMATION_JOB };

/** Doubling, as the local runner's backoff does; Airflow 3 takes the factor. */
const BACKOFF_FACTOR = 2.0;
/** A fixed first date: DAG files carry no time of generation, and catchup is off. */
const START_DATE = 'datetime(2025, 1, 1, tzinfo=timezone.utc)';

export function dagId(job: JobSettings, profile: Profile): string {
  return `${job.name}_${profile.name}`;
}

export function databricksConnectionId(profile: Profile): string {
  return `databricks_${profile.name}`;
}

/** The asset a job's DAG publishes when all its tasks succeeded. */
export function jobAssetUri(job: string, profile: Profile): string {
  return `lhctl://${profile.name}/${job}`;
}

function identifier(taskKey: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(taskKey)) throw new ConfigError(`task key "${taskKey}" is not a Python identifier; the Airflow export names variables after task keys`);
  return taskKey;
}

/** Tasks no other task waits for: the `completed` marker follows them. */
function sinkTasks(job: JobSettings): Task[] {
  const awaited = new Set(job.tasks.flatMap((t) => (t.depends_on ?? []).map((d) => d.task_key)));
  return job.tasks.filter((t) => !awaited.has(t.task_key));
}

function notifierLines(job: JobSettings, profile: Profile): { imports: string[]; lines: string[] } {
  const subject = `lhctl ${profile.name}: ${job.name} failed (run {{ run_id }})`;
  const imports: string[] = [];
  const lines: string[] = [];
  const emails = job.email_notifications?.on_failure ?? [];
  if (emails.length) {
    imports.push('from airflow.providers.smtp.notifications.smtp import SmtpNotifier');
    lines.push(`SmtpNotifier(to=${python(emails)}, subject=${python(subject)})`);
  }
  const slack = profile.notifications.slackWebhookConnection;
  if (slack !== undefined) {
    imports.push('from airflow.providers.slack.notifications.slack_webhook import SlackWebhookNotifier');
    lines.push(`SlackWebhookNotifier(slack_webhook_conn_id=${python(slack)}, text=${python(subject)})`);
  }
  return { imports, lines };
}

function scheduleExpression(job: JobSettings, profile: Profile): string {
  const after = RUNS_AFTER[job.name];
  if (after !== undefined) return `[Asset(${python(jobAssetUri(after, profile))})]`;
  return `CronTriggerTimetable(${python(airflowCron(job.schedule.quartz_cron_expression))}, timezone=${python(job.schedule.timezone_id)})`;
}

function taskLine(task: Task): string {
  const args = [
    python(task.task_key),
    python(task.sql_task.file.path),
    `timeout_seconds=${task.timeout_seconds}`,
    `retries=${task.max_retries}`,
    `first_retry_after_ms=${task.min_retry_interval_millis}`,
  ];
  return `    ${identifier(task.task_key)} = sql_file_task(${args.join(', ')})`;
}

function dependencyLines(job: JobSettings): string[] {
  const lines = job.tasks
    .filter((t) => t.depends_on?.length)
    .map((t) => {
      const upstream = t.depends_on!.map((d) => identifier(d.task_key));
      return `    ${upstream.length === 1 ? upstream[0] : `[${upstream.join(', ')}]`} >> ${identifier(t.task_key)}`;
    });
  const sinks = sinkTasks(job).map((t) => identifier(t.task_key));
  lines.push(`    ${sinks.length === 1 ? sinks[0] : `[${sinks.join(', ')}]`} >> completed`);
  return lines;
}

/** One DAG file: every task of the job as a one-time Databricks SQL file run, in the job's graph. */
export function renderDag(job: JobSettings, profile: Profile): ExportFile {
  const notifiers = notifierLines(job, profile);
  const header = generatedHeader(`the job definition ${job.name} (src/pipelines/jobs.ts) and the profile ${basename(profile.file)}`, `lhctl export airflow --env ${profile.name}`);
  const after = RUNS_AFTER[job.name];
  const text = [
    ...header.map((line) => `# ${line}`),
    '#',
    `# Each task submits its SQL file, as \`lhctl deploy --env ${profile.name}\` uploads it, as a one-time run`,
    `# on the env's SQL warehouse through the Airflow connection "${databricksConnectionId(profile)}". Airflow owns the`,
    "# schedule, the retries and the alerts here: keep the deployed job's own schedule paused.",
    ...(job.name === INGESTION_JOB && streamJob(profile) ? streamNote(profile) : []),
    'from datetime import datetime, timedelta, timezone',
    '',
    'from airflow.providers.databricks.operators.databricks import DatabricksSubmitRunOperator',
    ...notifiers.imports,
    'from airflow.providers.standard.operators.empty import EmptyOperator',
    'from airflow.sdk import DAG, Asset',
    ...(after === undefined ? ['from airflow.timetables.trigger import CronTriggerTimetable'] : []),
    '',
    `DATABRICKS_CONN_ID = ${python(databricksConnectionId(profile))}`,
    `WAREHOUSE_ID = ${python(job.tasks[0]?.sql_task.warehouse_id ?? '')}`,
    '',
    '',
    'def sql_file_task(task_key, path, *, timeout_seconds, retries, first_retry_after_ms):',
    '    return DatabricksSubmitRunOperator(',
    '        task_id=task_key,',
    '        databricks_conn_id=DATABRICKS_CONN_ID,',
    `        run_name=f${python(`${job.name} {task_key} (lhctl ${profile.name})`)},`,
    '        tasks=[{"task_key": task_key, "sql_task": {"file": {"path": path, "source": "WORKSPACE"}, "warehouse_id": WAREHOUSE_ID}}],',
    '        timeout_seconds=timeout_seconds,',
    '        execution_timeout=timedelta(seconds=timeout_seconds),',
    '        retries=retries,',
    '        retry_delay=timedelta(milliseconds=first_retry_after_ms),',
    `        retry_exponential_backoff=${BACKOFF_FACTOR.toFixed(1)},`,
    '    )',
    '',
    '',
    'with DAG(',
    `    dag_id=${python(dagId(job, profile))},`,
    `    description=${python(job.description)},`,
    `    schedule=${scheduleExpression(job, profile)},`,
    `    start_date=${START_DATE},`,
    '    catchup=False,',
    `    max_active_runs=${job.max_concurrent_runs},`,
    `    dagrun_timeout=timedelta(seconds=${job.timeout_seconds}),`,
    `    is_paused_upon_creation=${job.schedule.pause_status === 'PAUSED' ? 'True' : 'False'},`,
    `    tags=${python(Object.entries(job.tags).map(([k, v]) => `${k}:${v}`))},`,
    ...(notifiers.lines.length ? ['    on_failure_callback=[', ...notifiers.lines.map((l) => `        ${l},`), '    ],'] : []),
    '):',
    ...job.tasks.map(taskLine),
    `    completed = EmptyOperator(task_id="completed", outlets=[Asset(${python(jobAssetUri(job.name, profile))})])`,
    '',
    ...dependencyLines(job),
    '',
  ].join('\n');
  return { path: `${dagId(job, profile)}.py`, text };
}

/**
 * Why the sales stream has no DAG: a DAG run must end, a stream does not. The workspace runs it as the
 * continuous job `lhctl deploy` creates, which Airflow neither starts nor watches.
 */
function streamNote(profile: Profile): string[] {
  return [
    '#',
    `# Sales from Kafka are not ingested here: they stream into bronze in the continuous Databricks job`,
    `# ${STREAM_JOB}, which \`lhctl deploy --env ${profile.name}\` creates and the workspace keeps running.`,
  ];
}

/** The env's DAG folder: one file per scheduled job; the continuous stream job stays on Databricks. */
export function renderAirflowDags(profile: Profile): ExportFile[] {
  if (profile.engine !== 'databricks') {
    throw new ConfigError(`the Airflow export runs the jobs on Databricks; "${profile.name}" is a ${profile.engine} env`, {
      hint: 'Pass --env dev, --env qa or --env prod.',
    });
  }
  return scheduledJobs(profile).map((job) => renderDag(job, profile));
}
