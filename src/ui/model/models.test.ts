import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { findJob } from '../../pipelines/jobs.js';
import { loadProfile } from '../../profiles/profile.js';
import { REPO_ROOT } from '../../../test/support/paths.js';
import { join } from 'node:path';
import { columnWidths, gridLines, moveCursor, widen } from './gridLayout.js';
import { navItems, navLabel, stepCursor } from './navTree.js';
import { applyProgress, mergeTaskRows, taskGraph } from './runState.js';
import { changedColumnsOf, tabCommand } from './tableTabs.js';
import { editKey, EMPTY_TEXT, fromText, replaceRange, textOf } from './textBuffer.js';

const key = (over: Partial<Key> = {}): Key => ({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
  ...over,
});

describe('table tabs', () => {
  const none = (): boolean => false;
  it('fall back to the sql command when the dedicated command is not registered', () => {
    expect(tabCommand('history', 'g.t', { from: undefined, to: undefined }, none)).toEqual({ name: 'sql', argv: ['DESCRIBE HISTORY `g`.`t` LIMIT 100'] });
    expect(tabCommand('history', 'g.t', { from: undefined, to: undefined }, (n) => n === 'history')).toEqual({ name: 'history', argv: ['g.t', '--limit', '100'] });
    expect(tabCommand('data', 'g.t', { from: 1, to: 3 }, () => true)).toEqual({ name: 'tt', argv: ['g.t', '--version', '3', '--limit', '200'] });
    expect(tabCommand('diff', 'g.t', { from: 1, to: 3 }, () => true)).toEqual({ name: 'diff', argv: ['g.t', '--from', '1', '--to', '3', '--rows'] });
  });
  it('offer CDF and diff only with two versions, and diff only with the diff command', () => {
    expect(tabCommand('cdf', 'g.t', { from: undefined, to: undefined }, none)).toHaveProperty('unavailable');
    expect(tabCommand('cdf', 'g.t', { from: 1, to: 2 }, none)).toMatchObject({ name: 'sql' });
    expect(tabCommand('diff', 'g.t', { from: 1, to: 2 }, none)).toHaveProperty('unavailable');
  });
  it('highlight the changed columns a diff row names', () => {
    const changed = changedColumnsOf(['id', 'city', 'changed_columns'])!;
    expect([...changed([1, 'Oslo', ['city']])]).toEqual([1]);
    const rows = changedColumnsOf(['change', 'key', 'column', 'old', 'new'])!;
    expect([...rows(['update', 'id=1', 'city', 'Oslo', 'Bergen'])]).toEqual([2, 3, 4]);
    expect(rows(['insert', 'id=2', null, null, null]).size).toBe(0);
  });
});

describe('result grid layout', () => {
  const columns = [
    { name: 'id', type: 'bigint', nullable: false },
    { name: 'name', type: 'string', nullable: true },
  ];
  const rows = Array.from({ length: 100_000 }, (_, i) => [BigInt(i), `customer-${i}`]);

  it('formats only the visible window of a 100k-row result', () => {
    // As the grid does: widths from the first rows, grown to fit the window on screen.
    const widths = widen(columnWidths(columns, rows), rows.slice(99_990, 100_010));
    const { lines } = gridLines(columns, rows, widths, { top: 99_990, height: 20, firstColumn: 0, width: 60 });
    expect(lines).toHaveLength(10);
    expect(lines[9]).toContain('99999');
  });
  it('keeps the selection in view when paging', () => {
    const c = moveCursor({ selected: 0, top: 0, firstColumn: 0 }, 25, rows.length, 10);
    expect(c).toEqual({ selected: 25, top: 16, firstColumn: 0 });
    expect(moveCursor(c, 1_000_000, rows.length, 10).selected).toBe(99_999);
  });
  it('scrolls columns horizontally', () => {
    const widths = columnWidths(columns, rows);
    expect(gridLines(columns, rows, widths, { top: 0, height: 1, firstColumn: 1, width: 60 }).header.trim()).toBe('name');
  });
});

describe('text editing', () => {
  it('inserts, breaks lines and deletes like an editor', () => {
    let b = editKey(EMPTY_TEXT, 'select 1', key())!;
    b = editKey(b, '', key({ backspace: true }))!;
    expect(textOf(b)).toBe('select ');
    b = editKey(fromText('ab\ncd'), '', key({ upArrow: true }))!;
    expect(b.row).toBe(0);
    expect(editKey(b, '', key({ return: true }))).toBeUndefined();
  });
  it('replaces the completed word', () => {
    expect(textOf(replaceRange(fromText('select * from dim_c'), 14, 19, 'dim_customer'))).toBe('select * from dim_customer');
  });
});

describe('navigator', () => {
  const items = navItems({
    envs: [
      { name: 'local', protected: false },
      { name: 'prod', protected: true },
    ],
    currentEnv: 'local',
    layers: [
      { layer: 'bronze', schema: 'local_bronze', expanded: false, tables: undefined },
      { layer: 'gold', schema: 'local_gold', expanded: true, tables: ['dim_customer', 'fact_sales'] },
    ],
    jobs: [{ alias: 'transform', expanded: false, runs: undefined }],
    filter: '',
  });
  it('lists envs, layers with lazily loaded tables, and jobs', () => {
    expect(items.map((i) => i.kind)).toEqual(['section', 'env', 'env', 'section', 'layer', 'layer', 'table', 'table', 'section', 'job']);
  });
  it('skips section headings when moving', () => {
    expect(stepCursor(items, 2, 1)).toBe(4);
  });
  it('filters tables and opens the layers that hold a match', () => {
    const filtered = navItems({
      envs: [],
      currentEnv: 'local',
      layers: [{ layer: 'gold', schema: 'local_gold', expanded: false, tables: ['dim_customer', 'fact_sales'] }],
      jobs: [],
      filter: 'fact',
    });
    expect(filtered.filter((i) => i.kind === 'table').map((i) => (i.kind === 'table' ? i.name : ''))).toEqual(['fact_sales']);
  });
});

describe('navigator: sharing', () => {
  it('lists shares, and an opened share its tables (as recipients see them) and recipients', () => {
    const items = navItems({
      envs: [],
      currentEnv: 'local',
      layers: [],
      jobs: [],
      filter: '',
      shares: {
        expanded: true,
        list: [
          { name: 'retail_partners', expanded: true, detail: { tables: [{ name: 'sales.fact_sales', history: true }], recipients: ['acme'] } },
          { name: 'suppliers', expanded: false, detail: undefined },
        ],
      },
    });
    expect(items.map(navLabel).slice(-6)).toEqual(['SHARING', '▾ shares', '  ▾ retail_partners', '      sales.fact_sales (history)', '      → acme', '  ▸ suppliers']);
  });
});

describe('run graph', () => {
  const profile = loadProfile(join(REPO_ROOT, 'profiles'), 'local');
  const job = findJob(profile, 'transform')!;

  it('orders tasks by dependency depth, all queued before the run', () => {
    const tasks = taskGraph(job);
    expect(tasks[0]!.level).toBe(0);
    expect(tasks.every((t) => t.state === 'queued')).toBe(true);
    const levels = tasks.map((t) => t.level);
    expect([...levels].sort((a, b) => a - b)).toEqual(levels);
  });
  it('takes live states from progress lines and final facts from the command table', () => {
    const first = taskGraph(job)[0]!.key;
    let tasks = applyProgress(taskGraph(job), `${first} running`);
    expect(tasks[0]!.state).toBe('running');
    tasks = mergeTaskRows(tasks, ['task', 'state', 'duration', 'versions', 'rows', 'error'], [[first, 'failed', '3.2 s', '4', '120', 'boom']]);
    expect(tasks[0]).toMatchObject({ state: 'failed', duration: '3.2 s', versions: '4', rows: '120', error: 'boom' });
  });
});
