/**
 * `lhctl export` through the real binary, checked by the tools that will read its files: Airflow 3's
 * DagBag with the Databricks provider, check-jsonschema's GitHub workflow schema, python-hcl2.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderForWorkspace } from '../../src/commands/deploy.js';
import { airflowCron } from '../../src/exports/quartzCron.js';
import { QUALITY_JOB, scheduledJobs, sqlNameOfTask, TRANSFORMATION_JOB } from '../../src/pipelines/jobs.js';
import { loadProfile } from '../../src/profiles/profile.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { ensurePythonTools, expectGolden, inspectDags, parseHcl, venvTool } from './support/python.js';

const GOLDEN = join(REPO_ROOT, 'test', 'exports', 'golden');
const qa = loadProfile(join(REPO_ROOT, 'profiles'), 'qa');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'lhctl-export-'));
}

async function exportTo(target: string, out: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const result = await runCli(['export', target, '--out', out, ...args], { env });
  expect(result.code, result.stderr).toBe(0);
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(out.length + 1))
    .sort();
}

/** The bundled profiles, with qa naming a Slack webhook connection. */
function profilesWithSlack(connection: string): string {
  const dir = scratch();
  for (const file of readdirSync(join(REPO_ROOT, 'profiles'))) copyFileSync(join(REPO_ROOT, 'profiles', file), join(dir, file));
  appendFileSync(join(dir, 'qa.yaml'), `  slack_webhook_connection: ${connection}\n`);
  return dir;
}

beforeAll(() => {
  ensurePythonTools();
});

describe('lhctl export airflow', () => {
  it('writes one DAG per job that Airflow loads and that does what the job definition says', async () => {
    const out = scratch();
    const files = await exportTo('airflow', out, ['--env', 'qa']);
    const jobs = scheduledJobs(qa); // qa names no live sources: these are all its jobs
    expect(files).toEqual(jobs.map((j) => `${j.name}_qa.py`).sort());
    expectGolden(out, join(GOLDEN, 'airflow', 'qa'), files);

    const bag = inspectDags(out);
    expect(bag.import_errors).toEqual({});
    expect(Object.keys(bag.dags).sort()).toEqual(jobs.map((j) => `${j.name}_qa`).sort());
    for (const job of jobs) {
      const dag = bag.dags[`${job.name}_qa`]!;
      if (job.name === QUALITY_JOB) {
        // After the transformation, by its asset: not at a later clock time.
        expect(dag.schedule).toEqual({ type: 'AssetTriggeredTimetable', assets: [`lhctl://qa/${TRANSFORMATION_JOB}`] });
      } else {
        expect(dag.schedule).toEqual({ type: 'CronTriggerTimetable', cron: airflowCron(job.schedule.quartz_cron_expression), timezone: 'UTC' });
      }
      expect(dag.paused_on_creation).toBe(job.schedule.pause_status === 'PAUSED');
      expect(dag.max_active_runs).toBe(job.max_concurrent_runs);
      expect(dag.dagrun_timeout_seconds).toBe(job.timeout_seconds);
      expect(dag.catchup).toBe(false);
      expect(dag.on_failure).toEqual([{ type: 'SmtpNotifier', to: job.email_notifications!.on_failure }]);

      expect(Object.keys(dag.tasks).sort()).toEqual([...job.tasks.map((t) => t.task_key), 'completed'].sort());
      for (const task of job.tasks) {
        const airflow = dag.tasks[task.task_key]!;
        expect(airflow.operator).toBe('DatabricksSubmitRunOperator');
        expect(airflow.upstream).toEqual((task.depends_on ?? []).map((d) => d.task_key).sort());
        expect(airflow.retries).toBe(task.max_retries);
        expect(airflow.retry_delay_seconds).toBe(task.min_retry_interval_millis / 1000);
        expect(airflow.retry_exponential_backoff).toBe(2);
        expect(airflow.execution_timeout_seconds).toBe(task.timeout_seconds);
        expect(airflow.run_timeout_seconds).toBe(task.timeout_seconds);
        expect(airflow.conn_id).toBe('databricks_qa');
        expect(airflow.submitted_tasks).toEqual([{ task_key: task.task_key, sql_task: { file: task.sql_task.file, warehouse_id: task.sql_task.warehouse_id } }]);
      }
      // The marker that publishes the job's asset waits for every task nothing else waits for.
      const awaited = new Set(job.tasks.flatMap((t) => (t.depends_on ?? []).map((d) => d.task_key)));
      expect(dag.tasks['completed']!.upstream).toEqual(
        job.tasks
          .map((t) => t.task_key)
          .filter((k) => !awaited.has(k))
          .sort(),
      );
      expect(dag.tasks['completed']!.outlets).toEqual([`lhctl://qa/${job.name}`]);
    }
  });

  it('adds a Slack webhook notifier only when the profile names a connection, and refuses a URL there', async () => {
    const out = scratch();
    await exportTo('airflow', out, ['--env', 'qa'], { LHCTL_PROFILES_DIR: profilesWithSlack('slack_lakehouse_alerts') });
    const bag = inspectDags(out);
    expect(bag.import_errors).toEqual({});
    for (const dag of Object.values(bag.dags)) {
      expect(dag.on_failure).toEqual([
        { type: 'SmtpNotifier', to: qa.notifications.onFailure },
        { type: 'SlackWebhookNotifier', connection: 'slack_lakehouse_alerts' },
      ]);
    }
    const refused = await runCli(['export', 'airflow', '--env', 'qa', '--out', scratch()], {
      env: { LHCTL_PROFILES_DIR: profilesWithSlack('https://hooks.slack.com/services/T0/B0/x') },
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('notifications.slack_webhook_connection');
  });

  it('gives the same bytes every time', async () => {
    const [a, b] = [scratch(), scratch()];
    const files = await exportTo('airflow', a, ['--env', 'prod']);
    await exportTo('airflow', b, ['--env', 'prod']);
    for (const file of files) expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
  });
});

describe('lhctl export github-actions', () => {
  it('writes a workflow that GitHub’s schema accepts: tests, qa on main, prod on a tag behind an environment', async () => {
    const out = scratch();
    const files = await exportTo('github-actions', out);
    expect(files).toEqual(['lhctl.yml']);
    expectGolden(out, join(GOLDEN, 'github-actions'), files);
    const check = venvTool('check-jsonschema', ['--builtin-schema', 'vendor.github-workflows', join(out, 'lhctl.yml')]);
    expect(check.stdout + check.stderr).toContain('ok -- validation done');
    expect(check.code).toBe(0);

    const workflow = parse(readFileSync(join(out, 'lhctl.yml'), 'utf8')) as {
      jobs: Record<string, { needs?: string; if?: string; environment?: string; env?: Record<string, string>; steps: Array<{ run?: string }> }>;
    };
    expect(workflow.jobs['test']!.steps.map((s) => s.run)).toContain('make test');
    const qaJob = workflow.jobs['deploy-qa']!;
    const prodJob = workflow.jobs['deploy-prod']!;
    expect(qaJob.if).toContain("github.ref == 'refs/heads/main'");
    expect(prodJob.if).toContain("startsWith(github.ref, 'refs/tags/v')");
    expect([qaJob.needs, prodJob.needs, prodJob.environment]).toEqual(['test', 'test', 'prod']);
    for (const [job, env] of [
      [qaJob, 'QA'],
      [prodJob, 'PROD'],
    ] as const) {
      expect(job.env).toEqual({
        DATABRICKS_HOST: `\${{ secrets.DATABRICKS_HOST_${env} }}`,
        DATABRICKS_CLIENT_ID: `\${{ secrets.DATABRICKS_CLIENT_ID_${env} }}`,
        DATABRICKS_CLIENT_SECRET: `\${{ secrets.DATABRICKS_CLIENT_SECRET_${env} }}`,
      });
      const runs = job.steps.map((s) => s.run ?? '').join('\n');
      expect(runs).toMatch(/deploy --env \w+ --plan.*>> "\$GITHUB_STEP_SUMMARY"/);
      expect(runs).toMatch(/deploy --env \w+ --yes/);
    }
  });
});

describe('lhctl export terraform', () => {
  it('writes HCL that parses, with the schemas, the SQL files and the jobs as the definitions declare them', async () => {
    const out = scratch();
    const files = await exportTo('terraform', out, ['--env', 'qa']);
    const jobs = scheduledJobs(qa); // qa names no live sources: these are all its jobs
    const sqlNames = [...new Set(jobs.flatMap((j) => j.tasks.map(sqlNameOfTask)))].sort();
    expect(files).toEqual(['main.tf', ...sqlNames.map((n) => `sql/${n}.sql`), 'variables.tf'].sort());
    // The SQL is what deploy uploads; it changes with sql/, so it is compared with the renderer, not a golden.
    expectGolden(out, join(GOLDEN, 'terraform', 'qa'), ['main.tf', 'variables.tf']);
    for (const name of sqlNames) expect(readFileSync(join(out, 'sql', `${name}.sql`), 'utf8')).toBe(renderForWorkspace(qa, name));

    type Block = Record<string, unknown>;
    const main = parseHcl(join(out, 'main.tf')) as { resource: Array<Record<string, Record<string, Block>>>; locals: Array<{ sql_files: string[] }> };
    const variables = parseHcl(join(out, 'variables.tf')) as { variable: Array<Record<string, { default: unknown }>> };
    const defaults = Object.fromEntries(variables.variable.map((v) => Object.entries(v)[0]!).map(([k, v]) => [k, v.default]));
    expect(defaults).toMatchObject({
      env: 'qa',
      catalog: 'retail_datalake',
      bronze_schema: 'qa_bronze',
      silver_schema: 'qa_silver',
      gold_schema: 'qa_gold',
      warehouse_id: 'qa-warehouse',
      workspace_dir: '/Shared/lhctl/qa',
      pause_status: 'PAUSED',
      failure_emails: qa.notifications.onFailure,
    });

    const resources = (type: string): Record<string, Block> => Object.assign({}, ...main.resource.filter((r) => r[type]).map((r) => r[type]));
    expect(Object.keys(resources('databricks_schema')).sort()).toEqual(['bronze', 'gold', 'silver']);
    expect(resources('databricks_schema')['silver']).toMatchObject({ catalog_name: '${var.catalog}', name: '${var.silver_schema}' });
    expect(main.locals[0]!.sql_files).toEqual(sqlNames);
    const jobResources = resources('databricks_job');
    expect(Object.keys(jobResources).sort()).toEqual(jobs.map((j) => j.name).sort());
    for (const job of jobs) {
      const resource = jobResources[job.name] as {
        name: string;
        max_concurrent_runs: number;
        timeout_seconds: number;
        tags: Record<string, string>;
        schedule: Block[];
        email_notifications: Block[];
        task: Block[];
      };
      expect(resource).toMatchObject({ name: job.name, max_concurrent_runs: job.max_concurrent_runs, timeout_seconds: job.timeout_seconds });
      expect(resource.tags).toMatchObject({ project: 'lhctl', env: '${var.env}', lhctl_job: job.name, lhctl_env: '${var.env}' });
      expect(resource.schedule).toEqual([{ quartz_cron_expression: job.schedule.quartz_cron_expression, timezone_id: 'UTC', pause_status: '${var.pause_status}' }]);
      expect(resource.email_notifications).toEqual([{ on_failure: '${var.failure_emails}' }]);
      expect(
        resource.task.map((t) => ({
          task_key: t['task_key'],
          depends_on: ((t['depends_on'] as Block[] | undefined) ?? []).map((d) => d['task_key']),
          max_retries: t['max_retries'],
          min_retry_interval_millis: t['min_retry_interval_millis'],
          retry_on_timeout: t['retry_on_timeout'],
          timeout_seconds: t['timeout_seconds'],
          sql_task: t['sql_task'],
        })),
      ).toEqual(
        job.tasks.map((t) => ({
          task_key: t.task_key,
          depends_on: (t.depends_on ?? []).map((d) => d.task_key),
          max_retries: t.max_retries,
          min_retry_interval_millis: t.min_retry_interval_millis,
          retry_on_timeout: t.retry_on_timeout,
          timeout_seconds: t.timeout_seconds,
          sql_task: [{ warehouse_id: '${var.warehouse_id}', file: [{ path: `\${databricks_workspace_file.sql["${sqlNameOfTask(t)}"].path}`, source: 'WORKSPACE' }] }],
        })),
      );
    }
  });
});

describe('lhctl export --check', () => {
  it('passes on an untouched folder and exits 1 on an edited, a missing or a stale generated file', async () => {
    const out = scratch();
    const files = await exportTo('terraform', out, ['--env', 'qa']);
    const check = (): ReturnType<typeof runCli> => runCli(['export', 'terraform', '--env', 'qa', '--out', out, '--check', '--output', 'json']);
    const clean = await check();
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as Array<{ state: string }>).map((r) => r.state)).toEqual(files.map(() => 'equal'));

    writeFileSync(join(out, 'notes.md'), 'a file of our own: not checked\n');
    appendFileSync(join(out, 'main.tf'), '# tuned by hand\n');
    rmSync(join(out, 'sql', 'gold', 'fact_sales.sql'));
    writeFileSync(join(out, 'old_job.tf'), '# Generated by lhctl from a job definition since removed.\n');
    const dirty = await check();
    expect(dirty.code).toBe(1);
    const states = Object.fromEntries((JSON.parse(dirty.stdout) as Array<{ file: string; state: string }>).filter((r) => r.state !== 'equal').map((r) => [r.file.slice(out.length + 1), r.state]));
    expect(states).toEqual({ 'main.tf': 'differs', 'sql/gold/fact_sales.sql': 'missing', 'old_job.tf': 'stale' });

    const rewritten = await runCli(['export', 'terraform', '--env', 'qa', '--out', out]);
    expect(rewritten.code).toBe(0);
    expect((await check()).code).not.toBe(0); // the stale file is the operator's to delete
    rmSync(join(out, 'old_job.tf'));
    expect((await check()).code).toBe(0);
  });
});
