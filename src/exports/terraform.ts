import { basename } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { ENV_TAG, JOB_TAG } from '../ops/deploy.js';
import { isScheduledJob, isSqlTask, jobDefinitions, sqlNameOfTask, type JobSettings, type SparkPythonTask, type SqlTask, type Task } from '../pipelines/jobs.js';
import { STREAM_SCRIPT, streamScript } from '../pipelines/streamJob.js';
import { LAYERS, type Profile } from '../profiles/profile.js';
import { generatedHeader, type ExportFile } from './files.js';

/** Renders one bundled SQL file (`silver/orders`) as deploy uploads it for a profile. */
export type SqlRenderer = (profile: Profile, sqlName: string) => string;

/** An HCL string literal: JSON's escapes, plus HCL's template sequences escaped. */
function hcl(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

function hclList(values: string[]): string {
  return `[${values.map(hcl).join(', ')}]`;
}

/** `name = value` lines at one indent, `=` aligned as `terraform fmt` aligns them. */
function attributes(indent: string, entries: Array<[string, string]>): string[] {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`);
}

function variable(name: string, type: string, description: string, value: string): string[] {
  return [
    `variable "${name}" {`,
    ...attributes('  ', [
      ['type', type],
      ['description', hcl(description)],
      ['default', value],
    ]),
    '}',
    '',
  ];
}

function variablesFile(profile: Profile, warehouseId: string, header: string[]): ExportFile {
  const text = [
    ...header,
    '',
    ...variable('env', 'string', 'lhctl env name; jobs carry it in their lhctl_env tag', hcl(profile.name)),
    ...variable('catalog', 'string', 'Unity Catalog catalog of the medallion schemas', hcl(profile.catalog)),
    ...LAYERS.flatMap((layer) => variable(`${layer}_schema`, 'string', `${layer} schema`, hcl(profile.schemas[layer]))),
    ...variable('warehouse_id', 'string', 'SQL warehouse the job tasks run on', hcl(warehouseId)),
    ...variable('workspace_dir', 'string', 'workspace folder the SQL files are uploaded to', hcl(profile.databricks?.workspaceDir ?? '')),
    ...variable('pause_status', 'string', 'PAUSED or UNPAUSED: job schedules stay paused outside prod', hcl(profile.protected ? 'UNPAUSED' : 'PAUSED')),
    ...variable('failure_emails', 'list(string)', 'who is mailed when a job run fails', hclList(profile.notifications.onFailure)),
  ].join('\n');
  return { path: 'variables.tf', text };
}

function hasStream(jobs: JobSettings[]): boolean {
  return jobs.some((j) => !isScheduledJob(j));
}

function resourceName(job: string): string {
  return job.replace(/[^A-Za-z0-9_]/g, '_');
}

function taskBlock(task: Task): string[] {
  const retries: Array<[string, string]> = isSqlTask(task)
    ? [
        ['max_retries', String(task.max_retries)],
        ['min_retry_interval_millis', String(task.min_retry_interval_millis)],
        ['retry_on_timeout', String(task.retry_on_timeout)],
      ]
    : [['job_cluster_key', hcl(task.job_cluster_key)]];
  return [
    '  task {',
    ...attributes('    ', [
      ['task_key', hcl(task.task_key)],
      ...(task.description ? ([['description', hcl(task.description)]] as Array<[string, string]>) : []),
      ...retries,
      ['timeout_seconds', String(task.timeout_seconds)],
    ]),
    ...(task.depends_on ?? []).flatMap((d) => ['    depends_on {', `      task_key = ${hcl(d.task_key)}`, '    }']),
    ...(isSqlTask(task) ? sqlTaskBlock(task) : pythonTaskBlock(task)),
    '  }',
  ];
}

function sqlTaskBlock(task: SqlTask): string[] {
  return [
    '    sql_task {',
    '      warehouse_id = var.warehouse_id',
    '      file {',
    ...attributes('        ', [
      ['path', `databricks_workspace_file.sql[${hcl(sqlNameOfTask(task))}].path`],
      ['source', hcl(task.sql_task.file.source)],
    ]),
    '      }',
    '    }',
  ];
}

function pythonTaskBlock(task: SparkPythonTask): string[] {
  return [
    '    spark_python_task {',
    ...attributes('      ', [
      ['python_file', 'databricks_workspace_file.stream_script.path'],
      ['source', hcl(task.spark_python_task.source)],
    ]),
    '      parameters = [',
    ...task.spark_python_task.parameters.map((p) => `        ${hcl(p)},`),
    '      ]',
    '    }',
  ];
}

/** A scheduled job's schedule, or a continuous job's trigger and cluster; both paused by the same variable. */
function triggerBlocks(job: JobSettings): string[] {
  if (isScheduledJob(job)) {
    return [
      '  schedule {',
      ...attributes('    ', [
        ['quartz_cron_expression', hcl(job.schedule.quartz_cron_expression)],
        ['timezone_id', hcl(job.schedule.timezone_id)],
        ['pause_status', 'var.pause_status'],
      ]),
      '  }',
    ];
  }
  return [
    '  continuous {',
    '    pause_status = var.pause_status',
    '  }',
    ...job.job_clusters.flatMap((c) => [
      '  job_cluster {',
      `    job_cluster_key = ${hcl(c.job_cluster_key)}`,
      '    new_cluster {',
      ...attributes('      ', [
        ['spark_version', hcl(c.new_cluster.spark_version)],
        ['node_type_id', hcl(c.new_cluster.node_type_id)],
        ['num_workers', String(c.new_cluster.num_workers)],
        ['data_security_mode', hcl(c.new_cluster.data_security_mode)],
      ]),
      '    }',
      '  }',
    ]),
  ];
}

function jobBlock(job: JobSettings): string[] {
  const tags: Array<[string, string]> = [...Object.entries(job.tags).map(([k, v]): [string, string] => [k, k === 'env' ? 'var.env' : hcl(v)]), [JOB_TAG, hcl(job.name)], [ENV_TAG, 'var.env']];
  return [
    `resource "databricks_job" "${resourceName(job.name)}" {`,
    ...attributes('  ', [
      ['name', hcl(job.name)],
      ['description', hcl(job.description)],
      ['max_concurrent_runs', String(job.max_concurrent_runs)],
      ['timeout_seconds', String(job.timeout_seconds)],
    ]),
    '  tags = {',
    ...attributes('    ', tags),
    '  }',
    ...triggerBlocks(job),
    // Declared only when someone is named, as the job definition does, so an empty list never shows as drift.
    ...(job.email_notifications ? ['  email_notifications {', '    on_failure = var.failure_emails', '  }'] : []),
    ...job.tasks.flatMap(taskBlock),
    '}',
    '',
  ];
}

function mainFile(profile: Profile, jobs: JobSettings[], sqlNames: string[], header: string[]): ExportFile {
  const text = [
    ...header,
    '',
    'terraform {',
    '  required_providers {',
    '    databricks = {',
    '      source  = "databricks/databricks"',
    '      version = ">= 1.50.0"',
    '    }',
    '  }',
    '}',
    '',
    ...LAYERS.flatMap((layer) => [
      `resource "databricks_schema" "${layer}" {`,
      ...attributes('  ', [
        ['catalog_name', 'var.catalog'],
        ['name', `var.${layer}_schema`],
        ['comment', hcl(`lhctl ${layer} layer`)],
      ]),
      '}',
      '',
    ]),
    `# The SQL files the job tasks run, rendered for env ${profile.name} under sql/ beside this file.`,
    'locals {',
    '  sql_files = [',
    ...sqlNames.map((name) => `    ${hcl(name)},`),
    '  ]',
    '}',
    '',
    'resource "databricks_workspace_file" "sql" {',
    '  for_each = toset(local.sql_files)',
    '  source   = "${path.module}/sql/${each.value}.sql"',
    '  path     = "${var.workspace_dir}/sql/${each.value}.sql"',
    '}',
    '',
    ...(hasStream(jobs)
      ? [
          '# The script the continuous stream job runs, bundled with lhctl, under streams/ beside this file.',
          'resource "databricks_workspace_file" "stream_script" {',
          `  source = "\${path.module}/${STREAM_SCRIPT}"`,
          `  path   = "\${var.workspace_dir}/${STREAM_SCRIPT}"`,
          '}',
          '',
        ]
      : []),
    ...jobs.flatMap(jobBlock),
    '# Shares and recipients: lhctl declares none (`lhctl shares` and `lhctl recipients` make them on',
    '# demand), so there are none to provision here.',
    '',
  ].join('\n');
  return { path: 'main.tf', text };
}

/** Terraform for what `lhctl deploy` otherwise creates by API: schemas, SQL files and jobs, with the env's values as variables. */
export function renderTerraform(profile: Profile, render: SqlRenderer): ExportFile[] {
  if (profile.engine !== 'databricks' || profile.databricks === undefined) {
    throw new ConfigError(`Terraform provisions a Databricks workspace; "${profile.name}" is a ${profile.engine} env`, { hint: 'Pass --env dev, --env qa or --env prod.' });
  }
  const jobs = jobDefinitions(profile);
  const sqlTasks = jobs.flatMap((j) => (j.tasks as Task[]).filter(isSqlTask));
  const sqlNames = [...new Set(sqlTasks.map(sqlNameOfTask))].sort();
  const warehouseId = sqlTasks[0]?.sql_task.warehouse_id ?? '';
  const header = generatedHeader(`the job definitions (src/pipelines/jobs.ts) and the profile ${basename(profile.file)}`, `lhctl export terraform --env ${profile.name}`).map((line) => `# ${line}`);
  return [
    mainFile(profile, jobs, sqlNames, header),
    variablesFile(profile, warehouseId, header),
    ...sqlNames.map((name) => ({ path: `sql/${name}.sql`, text: render(profile, name) })),
    ...(hasStream(jobs) ? [{ path: STREAM_SCRIPT, text: streamScript() }] : []),
  ];
}
