import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedEngine } from '../support/engine.js';
import { CLI, REPO_ROOT, TEST_HOME } from '../support/paths.js';
import { createFixtureTables, fixtureProfilesDir } from './support/fixtureTable.js';

/** The tmux session that runs `lhctl` (no arguments: the console) for this test process. */
const session = `lhctl-e2e-${process.pid}`;

const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', session);
const keys = async (...names: string[]): Promise<void> => {
  for (const name of names) {
    tmux('send-keys', '-t', session, name);
    await new Promise((r) => setTimeout(r, 120));
  }
};
const text = (literal: string): void => void tmux('send-keys', '-t', session, '-l', literal);
async function waitFor(check: (s: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const s = screen();
    if (check(s)) return s;
    if (s.includes('lhctl exited')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`screen never matched:\n${screen()}`);
}

describe('lhctl in a real terminal (tmux, 80x24, local engine)', () => {
  beforeAll(async () => {
    const engine = await sharedEngine();
    await createFixtureTables(engine);
    await engine.close();
    // .ci/run installs tmux; a machine without it fails here rather than skipping the test.
    if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is needed for this test: apt-get install -y tmux');
    // CI=true as CI machines set it: the console must still draw (Ink alone would wait for exit).
    const env = `CI=true LHCTL_HOME=${TEST_HOME} LHCTL_PROFILES_DIR=${fixtureProfilesDir()}`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${REPO_ROOT} && env ${env} ${process.execPath} ${CLI}; echo "lhctl exited $?"; sleep 30`);
  });
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('opens a table, shows its history, runs a query, cancels a long one and quits', async () => {
    await waitFor((s) => s.includes('ENVIRONMENTS'));
    await keys('j', 'j', 'j', 'j', 'j', 'Enter'); // local → prod → qa → bronze → silver → gold
    await waitFor((s) => /\n {4}customer_snapshot/.test(s));
    await keys('j', 'Enter');
    await waitFor((s) => /customer_id\s+│ string/.test(s));
    await keys('2');
    const history = await waitFor((s) => s.includes('rows written per version (4)') && s.includes('UPDATE'));
    expect(history).toContain(' ▂▂█');
    expect(history.split('\n').length).toBeGreaterThanOrEqual(24);

    await keys('s');
    text('select 6 * 7 as answer');
    await keys('\\;', 'Enter');
    // The row can be on screen a frame before the stream ends and the transcript line gets its ✓.
    const done = "$ lhctl sql 'select 6 * 7 as answer;' --env local ✓";
    const answered = await waitFor((s) => /│ answer\s*\n.*│ 42\s*\n/.test(s) && s.includes(done));
    expect(answered).toContain(done);

    await keys('C-u');
    text('select count(*) from range(0, 50000000000)');
    await keys('\\;', 'Enter');
    await waitFor((s) => s.includes('…running'));
    await new Promise((r) => setTimeout(r, 1000));
    await keys('C-c');
    await waitFor((s) => s.includes('cancelled — the console is still yours'));

    await keys('Escape', 'Escape', 'q');
    await waitFor((s) => s.includes('lhctl exited 0'), 20_000);
  });
});
