import { ConfigError } from '../core/errors.js';
import type { Profile } from '../profiles/profile.js';
import { SOURCES, type SourceName } from '../sql/index.js';
import { streamJob } from './streamJob.js';
import { STREAM_TASK_SQL } from './streams.js';

interface TaskBase {
  task_key: string;
  description?: string;
  depends_on?: { task_key: string }[];
  timeout_seconds: number;
}

/** A task running one bundled SQL file, in the Databricks Jobs API 2.1 shape (only the fields lhctl uses). */
export interface SqlTask extends TaskBase {
  sql_task: {
    /** `path` is the workspace file on Databricks; for a local profile it is `sql/<layer>/<name>.sql`. */
    file: { path: string; source: 'WORKSPACE' | 'GIT' };
    warehouse_id: string;
    parameters?: Record<string, string>;
  };
  max_retries: number;
  min_retry_interval_millis: number;
  retry_on_timeout: boolean;
}

/** A task running an uploaded Python file on a job cluster (Databricks only: the stream job, see streamJob.ts). */
export interface SparkPythonTask extends TaskBase {
  spark_python_task: { python_file: string; source: 'WORKSPACE'; parameters: string[] };
  job_cluster_key: string;
}

export type Task = SqlTask | SparkPythonTask;

export function isSqlTask(task: Task): task is SqlTask {
  return 'sql_task' in task;
}

interface JobBase {
  name: string;
  description: string;
  tags: Record<string, string>;
  max_concurrent_runs: number;
  timeout_seconds: number;
  /** Present only when the profile names someone, so an empty list never shows as drift. */
  email_notifications?: { on_failure: string[] };
}

/** Jobs API 2.1 `JobSettings` of a scheduled SQL job, as `lhctl deploy` sends it and the local runner executes it. */
export interface ScheduledJob extends JobBase {
  schedule: { quartz_cron_expression: string; timezone_id: string; pause_status: 'PAUSED' | 'UNPAUSED' };
  tasks: SqlTask[];
}

/** Jobs API 2.1 `JobSettings` of a continuous job: always one run, restarted by the workspace when it ends. */
export interface ContinuousJob extends JobBase {
  continuous: { pause_status: 'PAUSED' | 'UNPAUSED' };
  job_clusters: { job_cluster_key: string; new_cluster: { spark_version: string; node_type_id: string; num_workers: number; data_security_mode: string } }[];
  tasks: SparkPythonTask[];
}

export type JobSettings = ScheduledJob | ContinuousJob;

export function isScheduledJob(job: JobSettings): job is ScheduledJob {
  return 'schedule' in job;
}

export const INGESTION_JOB = 'retail_ingestion_pipeline';
export const TRANSFORMATION_JOB = 'retail_transformation_pipeline';
export const QUALITY_JOB = 'retail_data_quality_checks';
export { STREAM_JOB } from './streamJob.js';

/** Short names accepted by `lhctl run`. */
export const JOB_ALIASES: Record<string, string> = {
  ingest: INGESTION_JOB,
  transform: TRANSFORMATION_JOB,
  quality: QUALITY_JOB,
};

export { SOURCES, type SourceName } from '../sql/index.js';

interface TaskSpec {
  key: string;
  /** The bundled SQL file, `<layer>/<name>` without `.sql`. */
  sql: string;
  after?: string[];
  description: string;
  timeoutSeconds?: number;
}

/**
 * One ingest task per source: landed files by default, the env's Kafka topic or orders database when its
 * profile names them. On Databricks the Kafka stream is a job of its own (streamJob.ts), so the ingestion
 * job leaves sales out; locally it streams what the topic holds (available-now) as one of its tasks.
 */
function ingestionTasks(profile: Profile): TaskSpec[] {
  const { kafka, ordersDb } = profile.sources;
  const streamedElsewhere = kafka !== undefined && profile.engine === 'databricks';
  const task = (source: SourceName): TaskSpec => {
    if (source === 'sales_transactions' && kafka) {
      return {
        key: 'stream_sales_transactions',
        sql: STREAM_TASK_SQL,
        after: ['bronze_setup'],
        description: `Append the POS events of Kafka topic ${kafka.topic} to bronze, exactly once per offset (a streaming query, available-now).`,
      };
    }
    if (ordersDb && (ordersDb.tables as readonly string[]).includes(source)) {
      return {
        key: `ingest_${source}`,
        sql: `bronze/jdbc_${source}`,
        after: ['bronze_setup'],
        description: `Append the ${source} rows the orders database changed since the last pull (updated_at), exactly once.`,
      };
    }
    return { key: `ingest_${source}`, sql: `bronze/${source}`, after: ['bronze_setup'], description: `Append newly landed ${source} files to bronze, once per file.` };
  };
  const sources = SOURCES.filter((source) => !(streamedElsewhere && source === 'sales_transactions'));
  return [{ key: 'bronze_setup', sql: 'bronze/setup', description: 'Create the bronze schema.' }, ...sources.map(task)];
}

function transformationTasks(): TaskSpec[] {
  const silver = (name: string, after: string[]): TaskSpec => ({
    key: `silver_${name}`,
    sql: `silver/${name}`,
    after,
    description: `Type, validate and deduplicate ${name}; rejects go to quarantine.`,
  });
  return [
    { key: 'silver_setup', sql: 'silver/setup', description: 'Create the silver and gold schemas and the quarantine table.' },
    silver('customers', ['silver_setup']),
    silver('products', ['silver_setup']),
    silver('stores', ['silver_setup']),
    // Store ids are validated against silver stores, so stores come first.
    silver('inventory', ['silver_stores']),
    silver('orders', ['silver_stores']),
    silver('sales_transactions', ['silver_stores']),
    { key: 'gold_dim_date', sql: 'gold/dim_date', after: ['silver_setup'], description: 'Calendar dimension.' },
    { key: 'gold_dim_customer', sql: 'gold/dim_customer', after: ['silver_customers'], description: 'Customer SCD2.' },
    { key: 'gold_dim_product', sql: 'gold/dim_product', after: ['silver_products'], description: 'Product SCD2.' },
    { key: 'gold_dim_store', sql: 'gold/dim_store', after: ['silver_stores'], description: 'Store SCD1.' },
    {
      key: 'gold_fact_sales',
      sql: 'gold/fact_sales',
      after: ['gold_dim_date', 'gold_dim_customer', 'gold_dim_product', 'gold_dim_store', 'silver_orders', 'silver_sales_transactions'],
      description: 'One row per sold line, keyed to the dimension versions valid at event time.',
      timeoutSeconds: 3600,
    },
    { key: 'gold_agg_daily_sales', sql: 'gold/agg_daily_sales', after: ['gold_fact_sales'], description: 'Daily sales mart.' },
  ];
}

function qualityTasks(): TaskSpec[] {
  const checks = ['keys', 'referential_integrity', 'scd2', 'reconciliation', 'freshness'];
  return [
    { key: 'quality_setup', sql: 'quality/setup', description: 'Create the quality results table.' },
    ...checks.map((check) => ({
      key: `check_${check}`,
      sql: `quality/${check}`,
      after: ['quality_setup'],
      description: `Quality checks: ${check.replace('_', ' ')}.`,
    })),
    {
      key: 'quality_gate',
      sql: 'quality/gate',
      after: checks.map((c) => `check_${c}`),
      description: 'Fail the run when any check of this run failed.',
    },
  ];
}

/** The warehouse id is the last segment of the profile's HTTP path; local profiles have none. */
function warehouseId(profile: Profile): string {
  return profile.databricks?.warehouseHttpPath.split('/').pop() ?? 'local';
}

/** Where a task's SQL file lives: the uploaded workspace copy on Databricks, the bundled file locally. */
export function sqlFilePath(profile: Profile, sqlName: string): string {
  const relative = `sql/${sqlName}.sql`;
  return profile.databricks ? `${profile.databricks.workspaceDir}/${relative}` : relative;
}

/** The bundled SQL name (`silver/customers`) a task runs, whatever profile it was built for. */
export function sqlNameOfTask(task: Task): string {
  if (!isSqlTask(task)) {
    throw new ConfigError(`task ${task.task_key} runs the Python file ${task.spark_python_task.python_file}, not SQL`, {
      hint: 'Python tasks run on Databricks job clusters only; run the job there (`lhctl run <job> --env <databricks env>`).',
    });
  }
  const match = /(?:^|\/)sql\/(.+)\.sql$/.exec(task.sql_task.file.path);
  if (!match) throw new Error(`task ${task.task_key}: not a bundled sql file: ${task.sql_task.file.path}`);
  return match[1]!;
}

function toTask(profile: Profile, spec: TaskSpec): SqlTask {
  const task: SqlTask = {
    task_key: spec.key,
    description: spec.description,
    sql_task: { file: { path: sqlFilePath(profile, spec.sql), source: 'WORKSPACE' }, warehouse_id: warehouseId(profile) },
    max_retries: 2,
    min_retry_interval_millis: 30_000,
    retry_on_timeout: true,
    timeout_seconds: spec.timeoutSeconds ?? 1800,
  };
  if (spec.after?.length) task.depends_on = spec.after.map((task_key) => ({ task_key }));
  return task;
}

function job(profile: Profile, name: string, description: string, cron: string, tasks: TaskSpec[]): ScheduledJob {
  return {
    name,
    description,
    tags: { project: 'lhctl', env: profile.name },
    // Paused outside prod so a fresh deploy never starts writing on its own.
    schedule: { quartz_cron_expression: cron, timezone_id: 'UTC', pause_status: profile.protected ? 'UNPAUSED' : 'PAUSED' },
    max_concurrent_runs: 1,
    timeout_seconds: 4 * 3600,
    ...(profile.notifications.onFailure.length ? { email_notifications: { on_failure: [...profile.notifications.onFailure] } } : {}),
    tasks: tasks.map((spec) => toTask(profile, spec)),
  };
}

/** The scheduled SQL jobs of a profile: the ones the local runner executes and Airflow can schedule. */
export function scheduledJobs(profile: Profile): ScheduledJob[] {
  return [
    job(profile, INGESTION_JOB, 'Land → bronze, hourly; one task per source, in parallel.', '0 0 * * * ?', ingestionTasks(profile)),
    job(profile, TRANSFORMATION_JOB, 'Bronze → silver → gold every 2 h: silver, dimensions, facts, aggregates.', '0 15 0/2 * * ?', transformationTasks()),
    // 45 minutes after the transformation starts, so the checks judge its result.
    job(profile, QUALITY_JOB, 'Data quality checks on silver and gold, after each transformation.', '0 0 1/2 * * ?', qualityTasks()),
  ];
}

/**
 * The retail jobs for a profile, as deploy sends them: the three scheduled jobs, and on Databricks the
 * continuous sales stream when the profile names a Kafka topic.
 */
export function jobDefinitions(profile: Profile): JobSettings[] {
  const stream = streamJob(profile);
  return [...scheduledJobs(profile), ...(stream ? [stream] : [])];
}

/** The scheduled job a `lhctl run` argument names for the local runner: an alias (ingest|transform|quality) or a job name. */
export function findJob(profile: Profile, nameOrAlias: string): ScheduledJob | undefined {
  const name = JOB_ALIASES[nameOrAlias] ?? nameOrAlias;
  return scheduledJobs(profile).find((j) => j.name === name);
}
