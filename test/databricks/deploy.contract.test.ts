/**
 * Contract tests for `lhctl deploy` against a loopback workspace that checks every call against
 * the documented Jobs and Workspace REST shapes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetyError } from '../../src/core/errors.js';
import { armCommand } from '../../src/commands/arm.js';
import { deployCommand, deployCommandWith, renderForWorkspace } from '../../src/commands/deploy.js';
import { ENV_TAG, JOB_TAG } from '../../src/ops/deploy.js';
import { databricksProfile } from './support/fixtures.js';
import { commandContext, startContractWorkspace, tableRows, type ContractWorkspace } from './support/contractWorkspace.js';

const render = (profile: { name: string }, name: string): string => `-- ${name}\nSELECT '${profile.name}' AS env;\n`;
const deploy = deployCommandWith(render);
const args = (options: Record<string, string | boolean> = {}) => ({ positionals: [], options });

let workspace: ContractWorkspace;

beforeEach(async () => {
  workspace = await startContractWorkspace();
});

afterEach(async () => {
  await workspace.server.close();
});

function writes(): string[] {
  return workspace.server.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
}

describe('deploy (Jobs 2.1 JobSettings, Workspace import/mkdirs) — contract', () => {
  it('creates the three jobs tagged for the env and uploads every SQL file their tasks run', async () => {
    const { ctx } = commandContext(workspace.server.url);
    const outcome = await deploy.run(ctx, args());
    expect(workspace.server.violations).toEqual([]);
    const jobs = [...workspace.jobs.jobs.values()].map((j) => j.settings);
    expect(jobs.map((j) => j['name']).sort()).toEqual(['retail_data_quality_checks', 'retail_ingestion_pipeline', 'retail_transformation_pipeline']);
    for (const job of jobs) expect(job['tags']).toMatchObject({ [JOB_TAG]: job['name'], [ENV_TAG]: 'qa' });
    const taskPaths = jobs.flatMap((j) => (j['tasks'] as Array<{ sql_task: { file: { path: string } } }>).map((t) => t.sql_task.file.path));
    expect(taskPaths.every((p) => workspace.jobs.files.has(p))).toBe(true);
    expect(workspace.jobs.files.get('/Shared/lhctl/qa/sql/silver/orders.sql')).toBe(render({ name: 'qa' }, 'silver/orders'));
    const importCall = workspace.server.calls.find((c) => c.path === '/api/2.0/workspace/import')!;
    expect(importCall.body).toMatchObject({ format: 'AUTO', overwrite: true, path: expect.stringMatching(/^\/Shared\/lhctl\/qa\/sql\//) });
    expect(tableRows(outcome).filter((r) => r[2] === 'create').length).toBe(workspace.jobs.files.size + 3);
  });

  it('writes nothing on a second deploy: no false drift from server-filled defaults', async () => {
    const { ctx } = commandContext(workspace.server.url);
    await deploy.run(ctx, args());
    const before = writes().length;
    const outcome = await deploy.run(ctx, args());
    expect(outcome.data).toMatchObject({ kind: 'message', text: expect.stringContaining('up to date') });
    expect(writes().length).toBe(before);
  });

  it("puts the profile's failure recipients in every job's email_notifications, without drift on redeploy", async () => {
    const { ctx } = commandContext(workspace.server.url, { profile: databricksProfile('qa', { onFailure: ['oncall@example.com'] }) });
    await deploy.run(ctx, args());
    expect(workspace.server.violations).toEqual([]);
    for (const job of workspace.jobs.jobs.values()) expect(job.settings['email_notifications']).toEqual({ on_failure: ['oncall@example.com'] });
    const before = writes().length;
    await deploy.run(ctx, args());
    expect(writes().length).toBe(before);
  });

  it('--plan shows a field-level diff of drifted jobs and writes nothing; deploy then resets by tag', async () => {
    const { ctx } = commandContext(workspace.server.url);
    await deploy.run(ctx, args());
    const transform = [...workspace.jobs.jobs.values()].find((j) => j.settings['name'] === 'retail_transformation_pipeline')!;
    (transform.settings['schedule'] as Record<string, string>)['pause_status'] = 'UNPAUSED';
    const tasks = transform.settings['tasks'] as Array<Record<string, unknown>>;
    tasks.find((t) => t['task_key'] === 'gold_fact_sales')!['timeout_seconds'] = 60;
    workspace.jobs.files.set('/Shared/lhctl/qa/sql/gold/fact_sales.sql', '-- edited by hand\n');
    const writesBefore = writes().length;

    const plan = await deploy.run(ctx, args({ plan: true }));
    expect(writes().length).toBe(writesBefore);
    const row = tableRows(plan).find((r) => String(r[1]).startsWith('retail_transformation_pipeline'))!;
    expect(row[2]).toBe('update');
    expect(row[3]).toContain('schedule.pause_status: UNPAUSED → PAUSED');
    expect(row[3]).toContain('tasks[gold_fact_sales].timeout_seconds: 60 → 3600');
    expect(tableRows(plan).find((r) => r[1] === '/Shared/lhctl/qa/sql/gold/fact_sales.sql')).toEqual(['file', '/Shared/lhctl/qa/sql/gold/fact_sales.sql', 'update', '+2 -1 lines']);
    expect(tableRows(plan).filter((r) => r[2] !== 'unchanged')).toHaveLength(2);

    await deploy.run(ctx, args());
    expect(workspace.jobs.files.get('/Shared/lhctl/qa/sql/gold/fact_sales.sql')).toBe(render({ name: 'qa' }, 'gold/fact_sales'));
    const reset = workspace.server.calls.filter((c) => c.path === '/api/2.2/jobs/reset');
    expect(reset).toHaveLength(1);
    expect(reset[0]!.body).toMatchObject({ job_id: transform.job_id, new_settings: { name: 'retail_transformation_pipeline' } });
    expect(workspace.server.violations).toEqual([]);
  });

  it('matches jobs by the lhctl tag, never by name: an untagged job of the same name is left alone', async () => {
    workspace.jobs.jobs.set(1, { job_id: 1, created_time: 1, settings: { name: 'retail_ingestion_pipeline', tasks: [{ task_key: 'hand_made' }] } });
    const { ctx } = commandContext(workspace.server.url);
    await deploy.run(ctx, args({ job: 'ingest' }));
    expect(workspace.jobs.jobs.get(1)!.settings['tasks']).toEqual([{ task_key: 'hand_made' }]);
    expect(workspace.server.calls.filter((c) => c.path === '/api/2.2/jobs/create')).toHaveLength(1);
    expect(workspace.server.calls.some((c) => c.path === '/api/2.2/jobs/reset')).toBe(false);
  });

  it('uploads the bundled SQL rendered for the env with its landing volume', async () => {
    const { ctx } = commandContext(workspace.server.url);
    await deployCommand.run(ctx, args({ job: 'ingest' }));
    const orders = workspace.jobs.files.get('/Shared/lhctl/qa/sql/bronze/orders.sql')!;
    expect(orders).toBe(renderForWorkspace(ctx.profile, 'bronze/orders'));
    expect(orders).not.toContain('{{');
    expect(orders).toContain('/Volumes/retail_datalake/qa_bronze/landing/orders/');
    expect(workspace.server.violations).toEqual([]);
  });

  it('refuses to deploy to protected prod until it is armed, then deploys', async () => {
    const prod = commandContext(workspace.server.url, { env: 'prod' });
    await expect(deploy.run(prod.ctx, args())).rejects.toBeInstanceOf(SafetyError);
    expect(writes()).toEqual([]);

    const armed = commandContext(prod.ctx.settings, { env: 'prod', answer: 'prod' });
    await armCommand.run(armed.ctx, { positionals: [], options: { for: 15 * 60_000 } });
    await deploy.run(armed.ctx, args());
    expect([...workspace.jobs.jobs.values()].every((j) => (j.settings['tags'] as Record<string, string>)[ENV_TAG] === 'prod')).toBe(true);
    expect(workspace.server.violations).toEqual([]);
  });
});
