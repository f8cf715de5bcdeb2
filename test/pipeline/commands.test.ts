import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/commands/args.js';
import type { CommandContext, CommandData, TableData } from '../../src/commands/command.js';
import { dataCommand } from '../../src/commands/data.js';
import { runCommand } from '../../src/commands/run.js';
import { runsCommand } from '../../src/commands/runs.js';
import { UsageError } from '../../src/core/errors.js';
import { findJob } from '../../src/pipelines/jobs.js';
import { runJob } from '../../src/pipelines/runner/runner.js';
import { testProfile, testSettings } from '../support/engine.js';

function context(home: string, env = 'local'): CommandContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    settings: { ...testSettings(), home },
    profile: testProfile(env),
    engine: () => Promise.reject(new Error('no engine in this test')),
    ui: { progress: (m) => lines.push(m), warn: (m) => lines.push(m), confirm: async () => false },
    signal: new AbortController().signal,
    assumeYes: false,
    lines,
  };
}

function tables(data: CommandData): TableData[] {
  if (data.kind === 'table') return [data];
  if (data.kind === 'multi' && Array.isArray(data.results)) return data.results.flatMap(tables);
  return [];
}

describe('data and runs commands', () => {
  it('data generate lands the next batches and returns the manifest counts', async () => {
    const ctx = context(mkdtempSync(join(tmpdir(), 'lhctl-cmd-')));
    const first = await dataCommand.run(ctx, parseCommandArgs(dataCommand, ['generate', '--batches', '2', '--scale', '0.01', '--seed', 's1']).args);
    const [table] = tables(first.data);
    expect(table!.columns.map((c) => c.name)).toContain('null_key');
    const rows = table!.rows as unknown[][];
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set([1, 2]));
    expect(rows.filter((r) => r[1] === 'sales_transactions')).toHaveLength(2);
    expect(ctx.lines.some((l) => l.startsWith('batch 2 landed'))).toBe(true);
    const next = await dataCommand.run(ctx, { positionals: ['generate'], options: {} });
    expect((tables(next.data)[0]!.rows as unknown[][])[0]![0]).toBe(3);
    expect(() => parseCommandArgs(dataCommand, ['generate', '--scale', '0'])).toThrow(UsageError);
    await expect(dataCommand.run(context(ctx.settings.home, 'dev'), { positionals: ['generate'], options: {} })).rejects.toThrow(/writes files on this machine, which does not apply to env dev/);
  });

  it('run --full-refresh is refused for a job without incremental tasks, before any engine is opened', async () => {
    const ctx = context(mkdtempSync(join(tmpdir(), 'lhctl-cmd-')));
    for (const job of ['ingest', 'quality']) {
      await expect(runCommand.run(ctx, parseCommandArgs(runCommand, [job, '--full-refresh']).args)).rejects.toThrow(/--full-refresh applies to jobs with incremental tasks/);
    }
  });

  it('runs list and show read the local run records', async () => {
    const ctx = context(mkdtempSync(join(tmpdir(), 'lhctl-cmd-')));
    const job = findJob(ctx.profile, 'quality')!;
    const record = await runJob(
      job,
      async (t) => {
        if (t.task_key === 'check_scd2') throw new Error('boom');
        return { writes: [] };
      },
      { home: ctx.settings.home, env: 'local', retryBaseMs: 1 },
    );
    const list = await runsCommand.run(ctx, { positionals: ['list'], options: {} });
    const [listed] = tables(list.data);
    expect((listed!.rows as unknown[][])[0]).toEqual(expect.arrayContaining([record.runId, 'retail_data_quality_checks', 'failed', 'check_scd2']));
    const show = await runsCommand.run(ctx, { positionals: ['show', 'latest'], options: {} });
    expect(show.exitCode).toBe(1);
    const [tasks] = tables(show.data);
    expect(tasks!.columns.map((c) => c.name)).toEqual(['task', 'state', 'attempts', 'duration', 'read', 'versions', 'rows', 'error']);
    const gate = (tasks!.rows as unknown[][]).find((r) => r[0] === 'quality_gate')!;
    expect(gate.slice(0, 2)).toEqual(['quality_gate', 'skipped']);
    await expect(runsCommand.run(ctx, { positionals: ['show', 'nope'], options: {} })).rejects.toThrow(UsageError);
  });
});
