import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/engines/engine.js';
import { runRepl } from '../../src/repl/index.js';
import { runCli } from '../support/cli.js';
import { sharedEngine, testSettings } from '../support/engine.js';
import { keepOpen } from './support/consoleHarness.js';
import { createFixtureTables, FIXTURE_TABLE, fixtureProfilesDir } from './support/fixtureTable.js';

let engine: SqlEngine;
let profilesDir: string;
beforeAll(async () => {
  engine = await sharedEngine();
  await createFixtureTables(engine);
  profilesDir = fixtureProfilesDir();
});
afterAll(async () => engine?.close());

/** The REPL with piped input, as `printf '…' | lhctl repl` runs it. */
async function pipe(input: string): Promise<{ code: number; stdout: string; stderr: string; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-repl-'));
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const code = await runRepl({
    settings: testSettings({ LHCTL_HOME: home, LHCTL_PROFILES_DIR: profilesDir }),
    input: stdin,
    output: stdout,
    errorOutput: stderr,
    openEngine: async () => keepOpen(engine),
  });
  return { code, stdout: out, stderr: err, home };
}

describe('lhctl repl with piped input (local engine)', () => {
  it('runs commands line by line with plain table output', async () => {
    const { code, stdout } = await pipe(`history ${FIXTURE_TABLE}\n`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ version │ timestamp\s+│ operation\s+│ rows_inserted/);
    expect(stdout).toMatch(/│ 2\s+│ .*│ UPDATE\s+│/);
  });

  it('runs SQL spanning lines once it ends in ;, and honours --output per line', async () => {
    const { code, stdout, home } = await pipe(`select 1 as a,\n  'x' as b;\nsql --output json "select 2 as c"\n`);
    expect(code).toBe(0);
    expect(stdout).toContain('│ a │ b │');
    expect(stdout).toContain('[\n{"c":2}\n]');
    const audit = readFileSync(join(home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; command: string });
    expect(audit.map((a) => [a.source, a.command])).toEqual([
      ['repl', "lhctl sql 'select 1 as a,\n  '\\''x'\\'' as b;' --env local"],
      ['repl', "lhctl sql --output json 'select 2 as c' --env local"],
    ]);
  });

  it('reports a failing line with its hint, goes on, and exits with the failure code', async () => {
    const { code, stdout, stderr } = await pipe('history gold.no_such_table\nselect 3 as after_error;\n');
    expect(stderr).toMatch(/error: no table ui_fixture_gold\.no_such_table in env local/);
    expect(stdout).toContain('after_error');
    expect(code).toBe(1);
  });

  it('lists envs with :env (and env list, the lhctl command) and runs what is left at the end of input', async () => {
    const { stdout, stderr } = await pipe(':env\nenv list\nselect 4 as unterminated');
    expect(stdout).toMatch(/\* local/);
    expect(stdout).toContain('local Spark + Delta on 127.0.0.1');
    expect(stdout).toContain('unterminated');
    expect(stderr).not.toContain('error');
  });
});

describe('the built binary', () => {
  it('printf "history …" | lhctl repl --env local works in scripts', async () => {
    const { code, stdout } = await runCli(['repl', '--env', 'local'], { input: 'select 5 as from_binary;\n', env: { LHCTL_PROFILES_DIR: profilesDir } });
    expect(code).toBe(0);
    expect(stdout).toContain('from_binary');
  });
});
