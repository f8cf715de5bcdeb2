import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, queryRows } from '../../src/engines/engine.js';
import { findJob } from '../../src/pipelines/jobs.js';
import { profileNames } from '../../src/profiles/profile.js';
import { sharedEngine, testProfile } from '../support/engine.js';
import { CLI, REPO_ROOT, TEST_HOME } from '../support/paths.js';
import { profilesDirWith } from '../support/profiles.js';

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

describe('lhctl in a real terminal (tmux, 80x24, local engine, demo data)', () => {
  let factLines: bigint;
  let envsAfterE2e = 0;
  let transformTasks: number;

  beforeAll(async () => {
    // .ci/run installs tmux; a machine without it fails here rather than skipping the test.
    if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is needed for this test: apt-get install -y tmux');
    const engine = await sharedEngine();
    for (const layer of ['bronze', 'silver', 'gold']) await executeStatement(engine, `DROP SCHEMA IF EXISTS e2e_${layer} CASCADE`);
    const env = { ...process.env, LHCTL_HOME: TEST_HOME, LHCTL_PROFILES_DIR: profilesDirWith('e2e', { bronze: 'e2e_bronze', silver: 'e2e_silver', gold: 'e2e_gold' }), LHCTL_ENV: 'e2e' };
    envsAfterE2e = profileNames(env.LHCTL_PROFILES_DIR).filter((name) => name > 'e2e').length;
    // The demo's pipeline on a small first batch, through the commands an operator types.
    const lhctl = (...args: string[]): string => execFileSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', cwd: REPO_ROOT, stdio: 'pipe' });
    lhctl('data', 'generate', '--reset', '--batches', '1', '--scale', '0.02', '--seed', 'e2e');
    for (const job of ['ingest', 'transform', 'quality']) lhctl('run', job);
    factLines = (await queryRows(engine, 'SELECT count(*) FROM e2e_gold.fact_sales')).rows[0]![0] as bigint;
    await engine.close();
    transformTasks = findJob(testProfile('local'), 'transform')!.tasks.length;
    // CI=true as CI machines set it: the console must still draw (Ink alone would wait for exit).
    const vars = ['CI=true', ...(['LHCTL_HOME', 'LHCTL_PROFILES_DIR', 'LHCTL_ENV'] as const).map((name) => `${name}=${env[name]}`)].join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `cd ${REPO_ROOT} && env ${vars} ${process.execPath} ${CLI}; echo "lhctl exited $?"; sleep 30`);
  });
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
  });

  it('opens a gold table and its history, runs a query, cancels a long one, opens the last transformation run and quits', async () => {
    await waitFor((s) => s.includes('ENVIRONMENTS') && s.includes('● e2e'));
    // From e2e down the envs after it (live, local, prod, qa, as the bundled profiles go), then bronze → silver → gold.
    await keys(...Array.from({ length: envsAfterE2e + 3 }, () => 'j'), 'Enter');
    await waitFor((s) => /\n {4}dim_customer/.test(s));
    await keys('j', 'j', 'Enter'); // agg_daily_sales → dim_customer
    await waitFor((s) => /customer_sk\s+│ bigint/.test(s));
    await keys('2');
    const history = await waitFor((s) => s.includes('rows written per version (2)') && s.includes('MERGE'));
    expect(history).toMatch(/\n.*│ 0\s+│ \S+\s+│ CREATE TABLE/);
    expect(history.split('\n').length).toBeGreaterThanOrEqual(24);

    await keys('s');
    text('select count(*) n from e2e_gold.fact_sales');
    await keys('\\;', 'Enter');
    // The row can be on screen a frame before the stream ends and the transcript line gets its ✓.
    const answered = await waitFor((s) => new RegExp(`│ n\\s*\\n.*│ ${factLines}\\s*\\n`).test(s) && /\$ lhctl sql .* ✓/.test(s));
    expect(answered).toContain(`│ ${factLines}`);

    await keys('C-u');
    text('select count(*) from range(0, 50000000000)');
    await keys('\\;', 'Enter');
    await waitFor((s) => s.includes('…running'));
    await new Promise((r) => setTimeout(r, 1000));
    await keys('C-c');
    await waitFor((s) => s.includes('cancelled — the console is still yours'));

    // Back to the navigator: the transformation job's runs, the newest one's task graph.
    await keys('Escape', 'Escape');
    await new Promise((r) => setTimeout(r, 300)); // the navigator takes the keys once it has redrawn with focus
    await keys('j', 'j', 'j', 'j', 'j', 'j', 'j', 'l'); // dim_customer → … → quality_results → ingest → transform
    await waitFor((s) => /▾ transform\s*│\s*\n\s+succeeded/.test(s));
    await keys('j', 'Enter');
    const run = await waitFor((s) => s.includes(`retail_transformation_pipeline  ${transformTasks} tasks · ${transformTasks} succeeded`));
    expect(run).toMatch(/● +gold_fact_sales +succeeded [\d.]+ s +fact_sale/);

    await keys('q');
    await waitFor((s) => s.includes('lhctl exited 0'), 20_000);
  });
});
