import type { DatabricksWorkspace, jobs } from '../engines/databricks/workspace.js';
import { isSqlTask, jobDefinitions, sqlNameOfTask, type Task } from '../pipelines/jobs.js';
import { LAYERS, type Profile } from '../profiles/profile.js';
import { declaredTables, normalType, type DeclaredColumn } from './declaredTables.js';
import { ENV_TAG, JOB_TAG, lineChanges, ownedJobs } from './deploy.js';
import { settingsDiff } from './jobDiff.js';

/**
 * Drift across envs: every job, task, SQL file and table schema of each env, read from its workspace
 * where credentials allow and from the bundled definitions otherwise, compared with the first env's.
 * Env-specific values (schema names, workspace folder, warehouse, env name) are compared as
 * placeholders when they are the env's own profile values, so qa and prod match where they should.
 */
export type DriftKind = 'job' | 'task' | 'sql' | 'table';
export const DRIFT_KINDS: readonly DriftKind[] = ['job', 'task', 'sql', 'table'];

export interface DriftObject {
  kind: DriftKind;
  /** `retail_transformation_pipeline`, `retail_transformation_pipeline.gold_fact_sales`, `silver/orders`, `gold.fact_sales`. */
  name: string;
  value: unknown;
}

export interface EnvState {
  env: string;
  /** `deployed` (read from the workspace) or `bundled` with why. */
  source: string;
  objects: DriftObject[];
}

export interface DriftRow {
  kind: DriftKind;
  name: string;
  /** Per env, in the order given: `baseline`, `equal`, `differs: <reason>` or `missing`. */
  cells: string[];
}

/** Renders one bundled SQL file (`silver/orders`) as deploy uploads it for a profile. */
export type SqlRenderer = (profile: Profile, sqlName: string) => string;

/** Placeholders for the env's own values, longest first so `qa_bronze` goes before `qa`. */
function placeholders(profile: Profile): Array<[string, string]> {
  const pairs: Array<[string, string]> = LAYERS.map((layer) => [profile.schemas[layer], `<${layer}>`]);
  if (profile.databricks) pairs.push([profile.databricks.workspaceDir, '<workspace_dir>'], [profile.databricks.landing, '<landing>']);
  // The SQL templates' {{env}}, as a whole word; the longer values above hold it and go first.
  pairs.push([profile.name, '<env>']);
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

function neutralText(profile: Profile, text: string): string {
  return placeholders(profile).reduce((t, [value, mark]) => t.replace(new RegExp(`\\b${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\b`, 'g'), mark), text);
}

function warehouseOf(profile: Profile): string | undefined {
  return profile.databricks?.warehouseHttpPath.split('/').pop();
}

/** The fields of a job lhctl declares, tasks apart; ownership tags and server defaults left out. */
function jobValue(profile: Profile, settings: jobs.JobSettings): unknown {
  const tags = Object.fromEntries(
    Object.entries(settings.tags ?? {})
      .filter(([k]) => k !== JOB_TAG && k !== ENV_TAG)
      .map(([k, v]) => [k, v === profile.name ? '<env>' : v]),
  );
  return {
    description: settings.description ?? null,
    tags,
    schedule: settings.schedule
      ? { quartz_cron_expression: settings.schedule.quartz_cron_expression, timezone_id: settings.schedule.timezone_id, pause_status: settings.schedule.pause_status ?? 'UNPAUSED' }
      : null,
    ...(settings.continuous ? { continuous: { pause_status: settings.continuous.pause_status ?? 'UNPAUSED' } } : {}),
    ...(settings.job_clusters?.length ? { job_clusters: settings.job_clusters } : {}),
    max_concurrent_runs: settings.max_concurrent_runs ?? 1,
    timeout_seconds: settings.timeout_seconds ?? 0,
    failure_emails: [...(settings.email_notifications?.on_failure ?? [])].sort(),
  };
}

/** The bundled SQL name a task runs, or its path with the env's folder as a placeholder when it runs another file. */
function sqlFileOf(profile: Profile, task: jobs.Task): string {
  try {
    return sqlNameOfTask(task as Task);
  } catch {
    return neutralText(profile, task.sql_task?.file?.path ?? '');
  }
}

function taskValue(profile: Profile, task: jobs.Task): unknown {
  const file = task.sql_task?.file?.path;
  const warehouse = task.sql_task?.warehouse_id;
  const python = task.spark_python_task;
  if (python) {
    return {
      description: task.description ?? null,
      depends_on: (task.depends_on ?? []).map((d) => d.task_key).sort(),
      python_file: neutralText(profile, python.python_file),
      parameters: (python.parameters ?? []).map((p) => neutralText(profile, p)),
      job_cluster: task.job_cluster_key ?? null,
      timeout_seconds: task.timeout_seconds ?? 0,
    };
  }
  return {
    description: task.description ?? null,
    depends_on: (task.depends_on ?? []).map((d) => d.task_key).sort(),
    sql_file: file ? sqlFileOf(profile, task) : null,
    warehouse: warehouse === warehouseOf(profile) ? '<warehouse>' : (warehouse ?? null),
    max_retries: task.max_retries ?? 0,
    min_retry_interval_millis: task.min_retry_interval_millis ?? 0,
    retry_on_timeout: task.retry_on_timeout ?? false,
    timeout_seconds: task.timeout_seconds ?? 0,
  };
}

function jobObjects(profile: Profile, settings: jobs.JobSettings): DriftObject[] {
  const name = settings.name ?? '';
  return [
    { kind: 'job', name, value: jobValue(profile, settings) },
    ...(settings.tasks ?? []).map((task): DriftObject => ({ kind: 'task', name: `${name}.${task.task_key}`, value: taskValue(profile, task) })),
  ];
}

/** `gold.fact_sales` for a table of the profile's medallion schemas; other tables keep their full name. */
function tableName(profile: Profile, fullName: string): string {
  const [catalogName, schema, table] = fullName.split('.');
  const layer = LAYERS.find((l) => profile.schemas[l].toLowerCase() === schema?.toLowerCase());
  return layer && table && catalogName?.toLowerCase() === profile.catalog.toLowerCase() ? `${layer}.${table.toLowerCase()}` : fullName;
}

function tableObject(name: string, columns: DeclaredColumn[]): DriftObject {
  return { kind: 'table', name, value: columns };
}

/** The SQL names every job of the profile runs, sorted. */
function bundledSqlNames(profile: Profile): string[] {
  return [...new Set(jobDefinitions(profile).flatMap((j) => (j.tasks as Task[]).filter(isSqlTask).map(sqlNameOfTask)))].sort();
}

/** What lhctl would put in the env: its job definitions, the SQL rendered for it, the tables that SQL creates. */
export function bundledState(profile: Profile, render: SqlRenderer, source = 'bundled'): EnvState {
  const objects: DriftObject[] = jobDefinitions(profile).flatMap((job) => jobObjects(profile, job as jobs.JobSettings));
  for (const name of bundledSqlNames(profile)) {
    const text = render(profile, name);
    objects.push({ kind: 'sql', name, value: neutralText(profile, text) });
    for (const table of declaredTables(text)) objects.push(tableObject(tableName(profile, table.name), table.columns));
  }
  return { env: profile.name, source, objects };
}

/** What the env's workspace holds: the jobs deploy owns there, the uploaded SQL files, the schemas' tables. */
export async function deployedState(workspace: DatabricksWorkspace, profile: Profile): Promise<EnvState> {
  const objects: DriftObject[] = [];
  const { byName } = await ownedJobs(workspace, profile.name);
  for (const jobId of [...byName.values()].sort((a, b) => a - b)) {
    const job = await workspace.getJob(jobId);
    if (job.settings) objects.push(...jobObjects(profile, job.settings));
  }
  for (const name of bundledSqlNames(profile)) {
    const text = await workspace.exportFile(`${profile.databricks?.workspaceDir ?? ''}/sql/${name}.sql`);
    if (text !== undefined) objects.push({ kind: 'sql', name, value: neutralText(profile, text) });
  }
  for (const layer of LAYERS) {
    for (const table of await workspace.listTables(profile.catalog, profile.schemas[layer])) {
      const columns = (table.columns ?? [])
        .slice()
        .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
        .map((c) => ({ name: (c.name ?? '').toLowerCase(), type: normalType(c.type_text ?? String(c.type_name ?? '')) }));
      objects.push(tableObject(`${layer}.${(table.name ?? '').toLowerCase()}`, columns));
    }
  }
  return { env: profile.name, source: 'deployed', objects };
}

function show(value: unknown): string {
  return value === undefined ? '∅' : typeof value === 'string' ? value : JSON.stringify(value);
}

function columnReason(baseline: DeclaredColumn[], mine: DeclaredColumn[], baselineEnv: string): string {
  const theirs = new Map(baseline.map((c) => [c.name, c.type]));
  const ours = new Map(mine.map((c) => [c.name, c.type]));
  const reasons: string[] = [];
  for (const [name, type] of theirs) {
    const here = ours.get(name);
    if (here === undefined) reasons.push(`column ${name} missing`);
    else if (here !== type) reasons.push(`column ${name}: ${type} in ${baselineEnv}, ${here} here`);
  }
  for (const [name, type] of ours) if (!theirs.has(name)) reasons.push(`extra column ${name} ${type}`);
  if (reasons.length === 0) reasons.push('columns in another order');
  return reasons.join('; ');
}

/** One line saying how an object differs from the baseline env's; undefined when it does not. */
function difference(kind: DriftKind, baseline: unknown, mine: unknown, baselineEnv: string): string | undefined {
  if (JSON.stringify(baseline) === JSON.stringify(mine)) return undefined;
  if (kind === 'sql') return `${lineChanges(String(baseline), String(mine))} against ${baselineEnv}`;
  if (kind === 'table') return columnReason(baseline as DeclaredColumn[], mine as DeclaredColumn[], baselineEnv);
  return settingsDiff(baseline, mine)
    .map((c) => `${c.path}: ${show(c.to)} in ${baselineEnv}, ${show(c.from)} here`)
    .join('; ');
}

/** The matrix: one row per object found in any env, one cell per env, compared with the first env. */
export function driftMatrix(states: EnvState[]): DriftRow[] {
  const key = (o: DriftObject): string => `${DRIFT_KINDS.indexOf(o.kind)}\u0000${o.name}`;
  const byEnv = states.map((s) => new Map(s.objects.map((o) => [key(o), o])));
  const keys = [...new Set(byEnv.flatMap((m) => [...m.keys()]))].sort();
  const baselineEnv = states[0]?.env ?? '';
  return keys.map((k) => {
    const [kindIndex, name] = k.split('\u0000') as [string, string];
    const kind = DRIFT_KINDS[Number(kindIndex)]!;
    const baseline = byEnv[0]?.get(k);
    const cells = byEnv.map((objects, i) => {
      const mine = objects.get(k);
      if (mine === undefined) return 'missing';
      if (i === 0) return 'baseline';
      if (baseline === undefined) return `differs: not in ${baselineEnv}`;
      const reason = difference(kind, baseline.value, mine.value, baselineEnv);
      return reason === undefined ? 'equal' : `differs: ${reason}`;
    });
    return { kind, name, cells };
  });
}
