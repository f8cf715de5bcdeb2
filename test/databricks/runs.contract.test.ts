/**
 * Contract tests for the Databricks side of `lhctl run` / `lhctl runs`: run-now, runs/get until
 * terminal, runs/get-output for a failed task, runs/list and runs/cancel.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, SafetyError } from '../../src/core/errors.js';
import { deployCommandWith } from '../../src/commands/deploy.js';
import { runOnWorkspace, runsOnWorkspace } from '../../src/commands/remoteRun.js';
import { WorkspaceNotFoundError } from '../../src/engines/databricks/workspaceErrors.js';
import { commandContext, dataText, startContractWorkspace, tableRows, type ContractWorkspace } from './support/contractWorkspace.js';

let workspace: ContractWorkspace;
const fast = { follow: { pollIntervalMs: 1 } };

beforeEach(async () => {
  workspace = await startContractWorkspace();
  const { ctx } = commandContext(workspace.server.url);
  await deployCommandWith(() => 'SELECT 1;\n').run(ctx, { positionals: [], options: {} });
});

afterEach(async () => {
  await workspace.server.close();
});

describe('remote runs (Jobs run-now, runs/get, runs/get-output, runs/cancel) — contract', () => {
  it('starts the deployed job and follows its tasks until the run ends, printing state changes', async () => {
    const { ctx, ui } = commandContext(workspace.server.url);
    const outcome = await runOnWorkspace(ctx, 'quality', { wait: true, ...fast });
    expect(outcome.exitCode).toBe(0);
    const runNow = workspace.server.calls.find((c) => c.path === '/api/2.2/jobs/run-now')!;
    const quality = [...workspace.jobs.jobs.values()].find((j) => j.settings['name'] === 'retail_data_quality_checks')!;
    expect(runNow.body).toEqual({ job_id: quality.job_id });
    expect(ui.progress).toContain('quality_gate: RUNNING');
    expect(ui.progress).toContain('quality_gate: TERMINATED/SUCCESS');
    expect(ui.progress.at(-1)).toMatch(/TERMINATED\/SUCCESS/);
    expect(tableRows(outcome).every((r) => r[2] === 'SUCCESS')).toBe(true);
    expect(workspace.server.violations).toEqual([]);
  });

  it('reports the failed task with the error from its run output and exits 1', async () => {
    workspace.jobs.failingTask = { key: 'gold_fact_sales', error: '[UNRESOLVED_COLUMN] A column `store_sk` cannot be resolved.' };
    const { ctx, ui } = commandContext(workspace.server.url);
    const outcome = await runOnWorkspace(ctx, 'transform', { wait: true, ...fast });
    expect(outcome.exitCode).toBe(1);
    expect(ui.warnings).toEqual(['task gold_fact_sales failed: [UNRESOLVED_COLUMN] A column `store_sk` cannot be resolved.']);
    const getOutput = workspace.server.calls.filter((c) => c.path === '/api/2.2/jobs/runs/get-output');
    expect(getOutput).toHaveLength(1);
    expect(await dataText(outcome.data)).toContain('FAILED');
  });

  it('--no-wait prints only the run id', async () => {
    const { ctx } = commandContext(workspace.server.url);
    const outcome = await runOnWorkspace(ctx, 'retail_ingestion_pipeline', { wait: false });
    expect(outcome.data).toEqual({ kind: 'message', text: expect.stringMatching(/^\d+$/) });
    expect(workspace.server.calls.some((c) => c.path === '/api/2.2/jobs/runs/get')).toBe(false);
  });

  it('stops following on Ctrl-C and says the run goes on', async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx } = commandContext(workspace.server.url, { signal: controller.signal });
    await expect(runOnWorkspace(ctx, 'ingest', { wait: true, ...fast })).rejects.toBeInstanceOf(CancelledError);
  });

  it('lists, shows and cancels runs of the env', async () => {
    const { ctx } = commandContext(workspace.server.url);
    const started = await runOnWorkspace(ctx, 'ingest', { wait: false });
    const runId = (started.data as { text: string }).text;
    const list = await runsOnWorkspace(ctx, 'list', []);
    expect(tableRows(list).map((r) => String(r[0]))).toContain(runId);
    await runsOnWorkspace(ctx, 'cancel', [runId]);
    expect(workspace.server.calls.find((c) => c.path === '/api/2.2/jobs/runs/cancel')!.body).toEqual({ run_id: Number(runId) });
    const shown = await runsOnWorkspace(ctx, 'show', [runId]);
    expect(await dataText(shown.data)).toContain('CANCELED');
    expect(workspace.server.violations).toEqual([]);
  });

  it('says to deploy first when the job is not on the workspace', async () => {
    workspace.jobs.jobs.clear();
    const { ctx } = commandContext(workspace.server.url);
    const failure = await runOnWorkspace(ctx, 'ingest', { wait: false }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkspaceNotFoundError);
    expect((failure as WorkspaceNotFoundError).hint).toContain('lhctl deploy --env qa');
  });

  it('does not start a run on unarmed prod', async () => {
    const { ctx } = commandContext(workspace.server.url, { env: 'prod' });
    await expect(runOnWorkspace(ctx, 'ingest', { wait: false })).rejects.toBeInstanceOf(SafetyError);
    expect(workspace.server.calls.some((c) => c.path === '/api/2.2/jobs/run-now')).toBe(false);
  });
});
