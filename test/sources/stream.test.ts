import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { readStreamState } from '../../src/ops/stream.js';
import { isProcessAlive } from '../../src/services/daemon.js';
import { runCli, type CliResult } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { CLI, REPO_ROOT, TEST_HOME } from '../support/paths.js';
import { liveProfilesDir } from '../support/profiles.js';

/**
 * The sales stream against a real Kafka broker (run by lhctl, as `.ci/run` leaves it to) and the real
 * local engine, driven through the `lhctl` process as an operator would: what was produced is what
 * bronze holds, whatever was killed on the way.
 */
const ENV = 'streamtest';
const stamp = Date.now();
const TOPIC = `test.pos.${stamp}`;
const SCHEMAS = { bronze: `stream_${stamp}_bronze`, silver: `stream_${stamp}_silver`, gold: `stream_${stamp}_gold` };
let profiles = '';
const BRONZE = `${SCHEMAS.bronze}.sales_transactions`;

function lhctl(...args: string[]): Promise<CliResult> {
  return runCli([...args, '--env', ENV], { env: { LHCTL_PROFILES_DIR: profiles } });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Opens the console (tmux, 100x30) on the env, moves from the env to the ingestion job in the navigator
 * and returns the run view's stream line twice, a few micro-batches apart.
 */
async function watchStreamInConsole(): Promise<string[]> {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is needed for this test: apt-get install -y tmux');
  const session = `lhctl-stream-${process.pid}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });
  const vars = `CI=true LHCTL_HOME=${TEST_HOME} LHCTL_PROFILES_DIR=${profiles} LHCTL_ENV=${ENV}`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `cd ${REPO_ROOT} && env ${vars} ${process.execPath} ${CLI}; sleep 30`);
  try {
    const lineOf = async (check: (line: string) => boolean): Promise<string> =>
      until(
        'the stream line in the console',
        () =>
          tmux('capture-pane', '-p', '-t', session)
            .split('\n')
            .find((l) => l.includes('stream running') && check(l)),
        // Each line follows a micro-batch and the silver run after it: seconds apart on a quiet machine.
        180_000,
      );
    await until('the console', () => (tmux('capture-pane', '-p', '-t', session).includes('JOBS') ? true : undefined), 60_000);
    // The navigator starts on the current env, the last of the sorted envs: three layers, then the jobs.
    for (const key of ['j', 'j', 'j', 'j', 'Enter']) {
      tmux('send-keys', '-t', session, key);
      await new Promise((r) => setTimeout(r, 150));
    }
    const batch = (line: string): string | undefined => /batch (\d+):/.exec(line)?.[1];
    const first = await lineOf((line) => batch(line) !== undefined);
    const second = await lineOf((line) => batch(line) !== undefined && batch(line) !== batch(first));
    return [first.replace(/^.*│ ?/, ''), second.replace(/^.*│ ?/, '')];
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
}

describe('the sales stream from a real Kafka broker into bronze', () => {
  let engine: SqlEngine;
  let produced = 0;

  async function bronzeCounts(): Promise<{ rows: number; offsets: number }> {
    const { rows } = await queryRows(engine, `SELECT count(*), count(DISTINCT _source_file) FROM ${BRONZE}`);
    return { rows: Number(rows[0]![0]), offsets: Number(rows[0]![1]) };
  }

  /** `data generate` lands the next batches and, for this env, produces their POS events to the topic. */
  async function generate(...options: string[]): Promise<number> {
    const result = await lhctl('data', 'generate', ...options, '--output', 'json');
    expect(result.code, result.stderr).toBe(0);
    const kafka = (JSON.parse(result.stdout) as { source: string; kafka_records?: number }[]).filter((r) => r.source === 'sales_transactions');
    const count = kafka.reduce((n, r) => n + (r.kafka_records ?? 0), 0);
    expect(count).toBeGreaterThan(0);
    produced += count;
    return count;
  }

  beforeAll(async () => {
    engine = await sharedEngine();
    const started = await runCli(['services', 'start', 'kafka']);
    expect(started.code, started.stderr).toBe(0);
    // The broker by its address, as a remote one would be named: so a run does not start it again on demand
    // (as it does for `local`) when the test stops it.
    const status = JSON.parse((await runCli(['services', 'status', '--output', 'json'])).stdout) as { name: string; address: string | null }[];
    const address = status.find((s) => s.name === 'kafka')?.address;
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    profiles = liveProfilesDir(ENV, SCHEMAS, { topic: TOPIC, bootstrapServers: address! });
  }, 600_000);

  afterAll(async () => {
    await lhctl('stream', 'stop');
    await queryRows(engine, `DROP SCHEMA IF EXISTS ${SCHEMAS.bronze} CASCADE`).catch(() => undefined);
    await queryRows(engine, `DROP SCHEMA IF EXISTS ${SCHEMAS.silver} CASCADE`).catch(() => undefined);
    await engine.close();
  });

  it('the ingestion job streams what the topic holds (available-now), exactly once: a rerun appends nothing', async () => {
    // The suite's landing zone starts again here, at a size whose batches make a few thousand events.
    await generate('--reset', '--seed', 'stream-test', '--scale', '0.05');
    const run = await lhctl('run', 'ingest', '--output', 'json');
    expect(run.code, run.stderr).toBe(0);
    expect((await bronzeCounts()).rows).toBe(produced);
    const { tasks } = JSON.parse((await lhctl('runs', 'show', 'latest', '--output', 'json')).stdout) as { tasks: { task: string; state: string; rows: string }[] };
    expect(tasks.find((t) => t.task === 'stream_sales_transactions')).toMatchObject({ state: 'succeeded', rows: `+${produced} ~0 -0` });
    const again = await lhctl('run', 'ingest', '--only', 'stream_sales_transactions');
    expect(again.code, again.stderr).toBe(0);
    expect(await bronzeCounts()).toEqual({ rows: produced, offsets: produced });
  }, 600_000);

  it('loses and duplicates nothing when the stream process and then the engine are SIGKILLed mid-way and restarted', async () => {
    await generate('--batches', '4');
    const before = (await bronzeCounts()).rows;
    // Small micro-batches, so a kill lands between them.
    const start = await lhctl('stream', 'start', '--max-per-batch', '200', '--trigger', '1s');
    expect(start.code, start.stderr).toBe(0);
    const first = await until('a first micro-batch', () => {
      const state = readStreamState(TEST_HOME, ENV);
      return state && state.rows > 0 ? state : undefined;
    });
    process.kill(first.pid, 'SIGKILL');
    await until('the stream process to end', () => (isProcessAlive(first.pid) ? undefined : true), 30_000);
    const afterKill = (await bronzeCounts()).rows;
    expect(afterKill).toBeLessThan(produced);
    expect(afterKill).toBeGreaterThan(before);

    const restart = await lhctl('stream', 'start', '--max-per-batch', '200', '--trigger', '1s');
    expect(restart.code, restart.stderr).toBe(0);
    const second = readStreamState(TEST_HOME, ENV)!;
    await until('more rows after the restart', async () => ((await bronzeCounts()).rows > afterKill ? true : undefined));
    // The console's run view of the ingestion job follows the running stream, micro-batch by micro-batch.
    const seen = await watchStreamInConsole();
    // The lag shows once Spark has reported the topic's latest offsets, which a first micro-batch may not carry.
    expect(seen[0]).toMatch(/stream running · [\d,]+ rows in \d+ micro-batch(es)?( · lag \d+)? · batch \d+:/);
    expect(seen[1]).not.toBe(seen[0]);
    // Now the engine itself dies under the running query.
    const server = JSON.parse(readFileSync(join(TEST_HOME, 'local', 'server.json'), 'utf8')) as { pid: number };
    process.kill(server.pid, 'SIGKILL');
    await until('the stream process to notice', () => (isProcessAlive(second.pid) ? undefined : true), 120_000);
    await engine.close();

    const third = await lhctl('stream', 'start', '--trigger', '1s');
    expect(third.code, third.stderr).toBe(0);
    engine = await sharedEngine();
    const settled = await until(
      'bronze to hold every event',
      async () => {
        const counts = await bronzeCounts();
        return counts.rows >= produced ? counts : undefined;
      },
      300_000,
    );
    const stopped = await lhctl('stream', 'stop');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(settled).toEqual({ rows: produced, offsets: produced });
    expect(readStreamState(TEST_HOME, ENV)).toMatchObject({ state: 'stopped' });
  }, 900_000);

  it('a broker that is down fails the stream task clearly after its retries; with the broker back a rerun loses nothing', async () => {
    await generate();
    const down = await lhctl('services', 'stop', 'kafka');
    expect(down.code, down.stderr).toBe(0);
    const failed = await lhctl('run', 'ingest', '--only', 'stream_sales_transactions');
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/stream_sales_transactions retrying/);
    expect(failed.stderr).toMatch(/Kafka broker at 127\.0\.0\.1:\d+ did not answer/);
    expect(failed.stderr).not.toMatch(/at org\.apache|\tat /);

    const up = await lhctl('services', 'start', 'kafka');
    expect(up.code, up.stderr).toBe(0);
    const rerun = await lhctl('run', 'ingest', '--only', 'stream_sales_transactions');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(await bronzeCounts()).toEqual({ rows: produced, offsets: produced });
  }, 600_000);
});
