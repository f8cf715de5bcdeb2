import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlEngine } from '../../src/engines/engine.js';
import { sharedEngine } from '../support/engine.js';
import { keepOpen, startConsole, type ConsoleHarness } from './support/consoleHarness.js';
import { createFixtureTables, FIXTURE_TABLE, fixtureProfilesDir } from './support/fixtureTable.js';
import { KEYS } from './support/terminal.js';

let engine: SqlEngine;
let profilesDir: string;
let ui: ConsoleHarness | undefined;

beforeAll(async () => {
  engine = await sharedEngine();
  await createFixtureTables(engine);
  profilesDir = fixtureProfilesDir();
});
afterAll(async () => engine?.close());
afterEach(() => {
  ui?.unmount();
  ui = undefined;
});

const open = (options: { env?: string } = {}): ConsoleHarness => (ui = startConsole(async () => keepOpen(engine), { profilesDir, ...options }));
const lines = (frame: string): string[] => frame.split('\n');

describe('the console on the local engine, at 80x24', () => {
  it('opens a table from the navigator and walks its tabs', async () => {
    const c = open();
    await c.waitFor((f) => f.includes('▸ gold'));
    for (const _ of [1, 2, 3, 4, 5]) await c.press('j'); // local → prod → qa → bronze → silver → gold
    await c.press(KEYS.enter);
    // The navigator line, not the status line's SQL that also names the table.
    const listed = await c.waitFor((f) => /\n {4}customer_snapshot/.test(f), 90_000);
    expect(listed).toContain("$ lhctl sql 'SHOW TABLES IN ui_fixture_gold' --env local ✓");
    await c.press('j');
    await c.press(KEYS.enter);

    const schema = await c.waitFor((f) => /customer_id\s+│ string/.test(f), 60_000);
    expect(schema).toContain(`${FIXTURE_TABLE}`);
    expect(lines(schema)).toHaveLength(24);

    await c.press('2');
    const history = await c.waitFor((f) => f.includes('rows written per version (4)') && f.includes('UPDATE'), 60_000);
    expect(history).toContain('rows written per version (4)  ▂▂█');
    expect(history).toContain('cdf/diff v2 → v3');

    await c.press('5');
    const diff = await c.waitFor((f) => f.includes('insert') && f.includes('--rows'), 60_000);
    expect(diff).toContain(`$ lhctl diff ${FIXTURE_TABLE} --from 2 --to 3 --rows`);

    await c.press('4');
    // The columns show first, the rows as they stream in.
    const cdf = await c.waitFor((f) => f.includes('_change_type') && f.includes('complete'), 60_000);
    expect(cdf).toMatch(/C1\s+│ Ada\s+│ Bergen\s+│ retail\s+│ update_postima/);
    expect(cdf).toMatch(/C30\s+│ name20\s+│ Paris\s+│ retail\s+│ insert/);
    await c.waitFor((f) => f.includes('--from 2 --to 3 --env local ✓'), 60_000);
    const commands = c.auditLines().map((a) => a['command']);
    expect(commands).toContain(`lhctl diff ${FIXTURE_TABLE} --from 2 --to 3 --rows --env local`);
    expect(commands).toContain(`lhctl cdf ${FIXTURE_TABLE} --from 2 --to 3 --env local`);
  });

  it('streams a 100k-row query into the SQL grid, then pages to its end', async () => {
    const c = open();
    await c.waitFor((f) => f.includes('ENVIRONMENTS'));
    await c.press('s');
    await c.type('select id, id * 2 as twice from range(0, 100000);');
    await c.press(KEYS.enter);
    await c.waitFor((f) => f.includes('/100,000 complete'), 60_000);
    await c.press(KEYS.escape);
    await c.press('G');
    const end = await c.waitFor((f) => f.includes('rows 100000/100,000'));
    expect(end).toMatch(/99999\s+│ 199998/);
    expect(end).toContain("$ lhctl sql 'select id, id * 2 as twice from range(0, 100000);' --env local ✓");

    await c.type(':export csv twice.csv');
    await c.press(KEYS.enter);
    const exported = await c.waitFor((f) => f.includes('exported 100000 rows'));
    expect(exported).toContain('same as: lhctl sql');
    const csv = readFileSync(join(c.home, 'twice.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,twice');
    expect(csv[100_000]).toBe('99999,199998');
  });

  it('Ctrl-C cancels a long statement and the console stays usable', async () => {
    const c = open();
    await c.waitFor((f) => f.includes('ENVIRONMENTS'));
    await c.press('s');
    await c.type('select count(*) from range(0, 50000000000);');
    await c.press(KEYS.enter);
    await c.waitFor((f) => f.includes('…running'));
    await new Promise((r) => setTimeout(r, 1500));
    await c.press(KEYS.ctrlC);
    const cancelled = await c.waitFor((f) => f.includes('cancelled — the console is still yours'));
    expect(cancelled).toMatch(/◼ \d/);
    expect(c.auditLines().at(-1)).toMatchObject({ outcome: 'cancelled', sql: ['select count(*) from range(0, 50000000000)'] });

    await c.press('\x15'); // Ctrl-U clears the line
    await c.type('select 7 as still_here;');
    await c.press(KEYS.enter);
    await c.waitFor((f) => /still_here[\s\S]*\b7\b/.test(f));
  });

  it('keeps SQL history per env across sessions', async () => {
    const first = open();
    await first.waitFor((f) => f.includes('ENVIRONMENTS'));
    await first.press('s');
    await first.type('select 11 as remembered;');
    await first.press(KEYS.enter);
    await first.waitFor((f) => f.includes('remembered'));
    const home = first.home;
    first.unmount();
    expect(existsSync(join(home, 'history', 'local'))).toBe(true);

    const second = (ui = startConsole(async () => keepOpen(engine), { profilesDir, home }));
    await second.waitFor((f) => f.includes('ENVIRONMENTS'));
    await second.press('s');
    await second.press(KEYS.up);
    expect(await second.waitFor((f) => f.includes('sql> select 11 as remembered;'))).toBeTruthy();
  });

  it('redraws for a resized terminal', async () => {
    const c = open();
    await c.waitFor((f) => f.includes('ENVIRONMENTS'));
    await c.resize(120, 30);
    const frame = await c.waitFor((f) => lines(f).length === 30);
    expect(Math.max(...lines(frame).map((l) => l.length))).toBeLessThanOrEqual(120);
    await c.resize(80, 24);
    await c.waitFor((f) => lines(f).length === 24);
  });

  it(':arm on a protected env asks for the env name, then the banner shows the window', async () => {
    const c = open({ env: 'prod' });
    await c.waitFor((f) => f.includes('PROTECTED, READ-ONLY'));
    await c.type(':arm');
    await c.press(KEYS.enter);
    await c.waitFor((f) => f.includes('Type prod and Enter'));
    await c.type('prod');
    await c.press(KEYS.enter);
    await c.waitFor((f) => f.includes('PROD ARMED until'));
    await c.type(':env local');
    await c.press(KEYS.enter);
    await c.waitFor((f) => f.includes('env local (local)'));
    expect(existsSync(join(c.home, 'armed', 'prod'))).toBe(false);
  });
});
