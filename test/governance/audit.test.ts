/** `lhctl audit` over lhctl's own audit log, through the real binary: filters by env, time, user and action. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();

function homeWithLog(): string {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-audit-'));
  const entry = (minutes: number, env: string, user: string, command: string, outcome = 'ok') =>
    JSON.stringify({ time: minutesAgo(minutes), env, user, source: 'cli', command, sql: ['GRANT SELECT ON TABLE t TO `g`'], outcome, duration_ms: 12 });
  const lines = [
    entry(180, 'local', 'bob', 'lhctl grants apply --env local'),
    entry(30, 'local', 'bob', 'lhctl grants apply --env local'),
    entry(20, 'local', 'bob', "lhctl sql 'select 1' --env local"),
    entry(10, 'local', 'alice', 'lhctl grants apply --env local', 'refused'),
    entry(5, 'qa', 'bob', 'lhctl grants apply --env qa'),
    JSON.stringify({ time: minutesAgo(2), source: 'sharing', recipient: 'acme', method: 'GET', object: 'retail_partners', status: 200 }),
    'not json',
  ];
  writeFileSync(join(home, 'audit.jsonl'), `${lines.join('\n')}\n`);
  return home;
}

describe('lhctl audit', () => {
  it('lists the env’s actions newest first, filtered by time, user and action', async () => {
    const home = homeWithLog();
    const run = async (...args: string[]) => {
      const result = await runCli(['audit', '-o', 'json', ...args], { env: { LHCTL_HOME: home } });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    };
    const recent = await run('--env', 'local', '--since', '1h', '--user', 'bob', '--action', 'grants apply');
    expect(recent).toEqual([
      { time: expect.any(String), env: 'local', user: 'bob', source: 'cli', action: 'grants apply', outcome: 'ok', duration_ms: 12, statements: 1, command: 'lhctl grants apply --env local' },
    ]);
    expect((await run('--env', 'local', '--action', 'grants')).map((r) => [r['user'], r['outcome']])).toEqual([
      ['alice', 'refused'],
      ['bob', 'ok'],
      ['bob', 'ok'],
    ]);
    // Partners' reads through the sharing server are in the log too, by recipient.
    expect(await run('--all-envs', '--user', 'acme')).toEqual([expect.objectContaining({ env: 'local', source: 'sharing', action: 'sharing GET retail_partners', outcome: 'ok' })]);
    expect((await run('--all-envs', '--since', '15m', '--action', 'grants')).map((r) => r['env'])).toEqual(['qa', 'local']);
  });
});
