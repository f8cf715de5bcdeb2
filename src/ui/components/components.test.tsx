import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TableData } from '../../commands/command.js';
import { findJob } from '../../pipelines/jobs.js';
import { loadProfile } from '../../profiles/profile.js';
import type { SessionState } from '../../session/session.js';
import { REPO_ROOT } from '../../../test/support/paths.js';
import { recordedOutput } from '../../../test/ui/support/recorded.js';
import { ResultModel } from '../model/resultModel.js';
import { navItems } from '../model/navTree.js';
import { taskGraph } from '../model/runState.js';
import { changedColumnsOf, historySeries } from '../model/tableTabs.js';
import { Header } from './Header.js';
import { Navigator } from './Navigator.js';
import { ResultPane } from './ResultPane.js';
import { sparkline } from './Sparkline.js';
import { RunGraph } from './RunGraph.js';
import { runTasks } from '../views/RunView.js';
import { runRecordData } from '../../commands/run.js';
import { taskEventLine } from '../../pipelines/execute.js';

const profiles = join(REPO_ROOT, 'profiles');
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

/** A recorded command output, fed through the same model the console fills from a live command. */
async function modelOf(name: string): Promise<ResultModel> {
  const model = new ResultModel(name);
  await model.consumer(new AbortController().signal)(recordedOutput(name).data);
  return model;
}

describe('result pane on recorded command outputs', () => {
  it('shows `lhctl history` as a grid with every version', async () => {
    const ui = render(<ResultPane model={await modelOf('history')} width={96} height={10} active />);
    await settle();
    const frame = ui.lastFrame()!;
    expect(frame).toMatch(/version │ timestamp\s+│ operation\s+│ rows_inserted/);
    expect(frame).toMatch(/3\s+│ 2026-.*│ WRITE\s+│ 40/);
    expect(frame).toContain('rows 1/4 complete');
  });

  it('shows the schema part of `lhctl describe` first and offers the others with [ ]', async () => {
    const ui = render(<ResultPane model={await modelOf('describe')} width={96} height={10} active preferred="schema" />);
    await settle();
    expect(ui.lastFrame()).toContain('schema (2/3, [ ] switch)');
    expect(ui.lastFrame()).toMatch(/customer_id\s+│ string/);
    ui.stdin.write('[');
    await settle();
    expect(ui.lastFrame()).toMatch(/latest_version\s+3/);
    for (let i = 0; i < 8; i++) ui.stdin.write('j');
    await settle();
    expect(ui.lastFrame()).toMatch(/change_data_feed\s+on since version 0/);
  });

  it('highlights the changed columns of `lhctl diff --rows`', async () => {
    const model = await modelOf('diff');
    const table = model.lastTable!;
    const changed = changedColumnsOf(table.columns.map((c) => c.name))!;
    expect([...changed(table.rows[0]!)].sort()).toEqual([2, 3, 4]);
    const ui = render(<ResultPane model={model} width={96} height={8} active changedColumns={changed} />);
    await settle();
    expect(ui.lastFrame()).toMatch(/update\s+│ customer_id=C1\s+│ city\s+│ Oslo\s+│ Bergen/);
  });

  it('keeps only a window of a 100k-row result on screen and moves through it', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => [BigInt(i + 1), `row-${i + 1}`]);
    const data: TableData = {
      kind: 'table',
      columns: [
        { name: 'id', type: 'bigint', nullable: false },
        { name: 'name', type: 'string', nullable: true },
      ],
      rows,
    };
    const model = new ResultModel('big');
    await model.consumer(new AbortController().signal)(data);
    const ui = render(<ResultPane model={model} width={60} height={12} active />);
    await settle();
    expect(ui.lastFrame()!.split('\n')).toHaveLength(12);
    ui.stdin.write('G');
    await settle();
    expect(ui.lastFrame()).toContain('row-100000');
    expect(ui.lastFrame()).toContain('rows 100000/100,000 complete');
  });
});

describe('history sparkline', () => {
  it('draws rows written per version, oldest first, from `lhctl history`', async () => {
    const { data } = recordedOutput('history');
    const table = data as TableData;
    const series = historySeries(
      table.columns.map((c) => c.name),
      table.rows as never,
    );
    expect(series.map((s) => [s.version, s.rows])).toEqual([
      [0, undefined],
      [1, 3],
      [2, 1],
      [3, 40],
    ]);
    expect(sparkline(series.map((s) => s.rows))).toBe(' ▂▂█');
  });
});

describe('header', () => {
  const state = (env: string, armedUntil?: Date): SessionState => ({ env, profile: loadProfile(profiles, env), envs: ['local', 'prod'], engine: 'running', armedUntil });

  it('shows env and engine state', () => {
    const ui = render(<Header state={state('local')} width={80} running={0} />);
    expect(ui.lastFrame()).toMatch(/lhctl env local \(local\) engine ● running\s+\? keys · q quit/);
  });
  it('puts a read-only banner on a protected env, and the window once armed', () => {
    expect(render(<Header state={state('prod')} width={80} running={0} />).lastFrame()).toContain('PROD — PROTECTED, READ-ONLY');
    expect(render(<Header state={state('prod', new Date('2026-01-01T10:30:00Z'))} width={80} running={0} />).lastFrame()).toContain('PROD ARMED until 10:30Z');
  });
});

describe('navigator', () => {
  it('lists the tables `lhctl tables --layer gold` returned under their layer', () => {
    const table = recordedOutput('tables').data as TableData;
    const names = (table.rows as unknown[][]).map((r) => String(r[0]).split('.').pop()!);
    const items = navItems({
      envs: [
        { name: 'local', protected: false },
        { name: 'prod', protected: true },
      ],
      currentEnv: 'local',
      layers: [{ layer: 'gold', schema: 'ui_fixture_gold', expanded: true, tables: names }],
      jobs: [{ alias: 'transform', expanded: false, runs: undefined }],
      filter: '',
    });
    const frame = render(<Navigator items={items} cursor={5} width={24} height={10} active filter="" />).lastFrame()!;
    expect(frame).toMatch(/● local[\s\S]*prod ⚠[\s\S]*▾ gold[\s\S]*customer_snapshot[\s\S]*▸ transform/);
  });
});

describe('run graph', () => {
  it('colours tasks live from `lhctl run` task events, then shows what each wrote and the failure', async () => {
    const job = findJob(loadProfile(profiles, 'local'), 'transform')!;
    const [a, b, c] = taskGraph(job).map((t) => t.key);
    const model = new ResultModel('run transform');
    for (const event of [
      { task: a!, state: 'running' as const, attempt: 1 },
      { task: a!, state: 'succeeded' as const, attempt: 1 },
      { task: b!, state: 'running' as const, attempt: 1 },
      { task: b!, state: 'retrying' as const, attempt: 1, detail: 'connection reset' },
    ])
      model.progress.push(taskEventLine({ runId: 'r1', job: job.name, ...event }));
    let frame = render(<RunGraph title={job.name} status="running" tasks={runTasks(taskGraph(job), model)} width={80} height={20} top={0} />).lastFrame()!;
    expect(frame).toMatch(new RegExp(`● ${a}\\s+succeeded`));
    expect(frame).toMatch(new RegExp(`↻ \\s*${b}\\s+retrying`));

    // The run's own result: the command data `lhctl run` returns at the end.
    const task = (key: string, state: 'succeeded' | 'failed' | 'skipped', extra: object = {}) => ({
      key,
      sql: '',
      state,
      attempts: 1,
      startedAt: null,
      endedAt: null,
      durationMs: 1500,
      writes: [],
      error: null,
      note: null,
      ...extra,
    });
    const outcome = runRecordData({
      runId: 'r1',
      job: job.name,
      env: 'local',
      state: 'failed',
      startedAt: '2026-01-01T00:00:00Z',
      endedAt: '2026-01-01T00:00:09Z',
      selection: { only: null, from: null },
      pid: 1,
      tasks: [
        task(a!, 'succeeded', { writes: [{ table: 'spark_catalog.local_silver.customers', version: 7, operation: 'MERGE', rowsInserted: 12, rowsUpdated: 3, rowsDeleted: 0 }] }),
        task(b!, 'failed', { attempts: 2, error: 'DIVIDE_BY_ZERO in silver' }),
        task(c!, 'skipped', { note: `upstream ${b} failed` }),
      ],
    });
    await model.consumer(new AbortController().signal)(outcome.data);
    frame = render(<RunGraph title={job.name} status="run finished" tasks={runTasks(taskGraph(job), model)} width={80} height={20} top={0} />).lastFrame()!;
    expect(frame).toMatch(new RegExp(`● ${a}\\s+succeeded\\s+1.5 s  customers@7  \\+12 ~3 -0 rows`));
    expect(frame).toMatch(new RegExp(`✗ \\s*${b}\\s+failed\\s+1.5 s  attempt 2`));
    expect(frame).toContain(`${b} failed:\nDIVIDE_BY_ZERO in silver`);
  });
});
