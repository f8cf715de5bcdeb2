/**
 * Contract tests for the workspace client itself: pagination, PATCH bodies (which the SDK drops),
 * job permissions, and how REST errors become typed lhctl errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { DatabricksWorkspace } from '../../src/engines/databricks/workspace.js';
import { WorkspaceNotFoundError, WorkspacePermissionError } from '../../src/engines/databricks/workspaceErrors.js';
import { resolveDatabricksAuth } from '../../src/profiles/databricksAuth.js';
import { databricksProfile, loopbackSettings } from './support/fixtures.js';
import { jobsRoutes, newJobsState, type JobsState } from './support/jobsContract.js';
import { startRestServer, type RestServer } from './support/restServer.js';
import { FAKE_TOKEN } from './support/fixtures.js';

let server: RestServer;
let jobs: JobsState;

function client(env: Record<string, string> = {}): DatabricksWorkspace {
  return new DatabricksWorkspace(resolveDatabricksAuth(loopbackSettings(server.url, env), databricksProfile('qa')));
}

beforeEach(async () => {
  jobs = newJobsState();
  server = await startRestServer({
    token: FAKE_TOKEN,
    routes: {
      ...jobsRoutes(jobs),
      'GET /api/2.1/unity-catalog/recipients/{}': () => ({ status: 403, body: { error_code: 'PERMISSION_DENIED', message: 'User does not have USE RECIPIENT on Metastore.' } }),
    },
  });
});

afterEach(async () => {
  await server.close();
});

describe('workspace client (Jobs 2.1 shapes, permissions, errors) — contract', () => {
  it('follows jobs/list pagination past one page of 100', async () => {
    for (let i = 0; i < 230; i++) jobs.jobs.set(i + 1, { job_id: i + 1, created_time: i, settings: { name: `job_${i}`, tasks: [] } });
    const listed = await client().listJobs();
    expect(listed).toHaveLength(230);
    const pages = server.calls.filter((c) => c.path === '/api/2.2/jobs/list');
    expect(pages.map((c) => c.query['page_token'] ?? '')).toEqual(['', '100', '200']);
    expect(pages.every((c) => c.query['limit'] === '100')).toBe(true);
  });

  it('sends the access control list in the body of PATCH /api/2.0/permissions/jobs/{id}', async () => {
    const workspace = client();
    const jobId = await workspace.createJob({ name: 'retail_ingestion_pipeline', tasks: [{ task_key: 'bronze_setup' }] });
    await workspace.updateJobPermissions(jobId, [{ group_name: 'data-engineers', permission_level: 'CAN_MANAGE_RUN' }]);
    const patch = server.calls.at(-1)!;
    expect(patch).toMatchObject({ method: 'PATCH', path: `/api/2.0/permissions/jobs/${jobId}` });
    expect(patch.body).toEqual({ access_control_list: [{ group_name: 'data-engineers', permission_level: 'CAN_MANAGE_RUN' }] });
    expect(server.violations).toEqual([]);
  });

  it('creates and resets a job with the JobSettings body as declared', async () => {
    const workspace = client();
    const settings = {
      name: 'retail_transformation_pipeline',
      tags: { lhctl_job: 'retail_transformation_pipeline' },
      schedule: { quartz_cron_expression: '0 15 0/2 * * ?', timezone_id: 'UTC', pause_status: 'PAUSED' as const },
      tasks: [{ task_key: 'silver_setup', sql_task: { file: { path: '/Shared/lhctl/qa/sql/silver/setup.sql', source: 'WORKSPACE' as const }, warehouse_id: 'abc123' } }],
    };
    const jobId = await workspace.createJob(settings);
    expect(server.calls.at(-1)!.body).toEqual(settings);
    await workspace.resetJob(jobId, { ...settings, max_concurrent_runs: 1 });
    expect(server.calls.at(-1)!.body).toEqual({ job_id: jobId, new_settings: { ...settings, max_concurrent_runs: 1 } });
    expect(server.violations).toEqual([]);
  });

  it('maps 404, 403 and 401 answers to typed errors with a next step', async () => {
    const workspace = client();
    const missing = await workspace.getJob(424242).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WorkspaceNotFoundError);
    expect((missing as WorkspaceNotFoundError).errorCode).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(await workspace.exportFile('/Shared/lhctl/qa/sql/none.sql')).toBeUndefined();

    const denied = await workspace.getRecipient('acme_bi').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(WorkspacePermissionError);
    expect((denied as Error).message).toContain('USE RECIPIENT');

    const rejected = await client({ DATABRICKS_TOKEN: 'dapi' + '9'.repeat(32) })
      .listJobs()
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ConfigError);
    expect((rejected as ConfigError).hint).toContain('DATABRICKS_CLIENT_SECRET');
  });

  it('says which settings it looked for when there is no credential at all', async () => {
    const settings = loopbackSettings(server.url);
    delete settings.processEnv['DATABRICKS_TOKEN'];
    const failure = await new DatabricksWorkspace(resolveDatabricksAuth(settings, databricksProfile('qa'))).listJobs().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    const hint = (failure as ConfigError).hint ?? '';
    expect(hint).toContain('DATABRICKS_HOST + DATABRICKS_TOKEN');
    expect(hint).toContain('profile [retail-qa]');
    expect(server.calls).toEqual([]);
  });
});
