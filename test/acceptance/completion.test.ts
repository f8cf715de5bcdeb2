import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CLI, REPO_ROOT } from '../support/paths.js';

/**
 * The completion scripts in the real shells: each is loaded the way its comment says, then its
 * completion function is called as the shell would on TAB, with `lhctl` on PATH (the built binary).
 */
function shellHome(): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-complete-'));
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'lhctl'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'lhctl'), 0o755);
  mkdirSync(join(home, 'cache'));
  writeFileSync(join(home, 'cache', 'tables-local.json'), JSON.stringify({ env: 'local', tables: ['local_gold.dim_customer', 'local_silver.orders'] }));
  return { home, env: { ...process.env, PATH: `${bin}:${process.env['PATH']}`, LHCTL_HOME: home, LHCTL_ENV: '', LHCTL_PROFILES_DIR: join(REPO_ROOT, 'profiles') } };
}

function shell(name: 'bash' | 'zsh', script: string, env: NodeJS.ProcessEnv): string[] {
  const args = name === 'zsh' ? ['-f', '-c', script] : ['--norc', '-c', script];
  const result = spawnSync(name, args, { env, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

const hasZsh = spawnSync('zsh', ['-c', 'true']).status === 0;

describe('shell completion generated from the command specs (real bash and zsh)', () => {
  it('bash: loads, registers itself, and completes a verb, an option value and a table name', () => {
    const { env } = shellHome();
    const complete = (words: string) =>
      shell('bash', `source <(lhctl completion bash)\nCOMP_WORDS=(${words}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _lhctl; printf '%s\\n' "\${COMPREPLY[@]}"`, env);
    expect(shell('bash', 'source <(lhctl completion bash); complete -p lhctl', env)).toEqual(['complete -F _lhctl lhctl']);
    expect(complete('lhctl engine st')).toEqual(['start', 'stop', 'status']);
    expect(complete('lhctl history gold.d')).toEqual(['gold.dim_customer']);
    expect(complete('lhctl tables --layer s')).toEqual(['silver']);
    expect(complete('lhctl sql --env p')).toEqual(['prod']);
    expect(complete('lhctl hist')).toEqual(['history']);
  });

  it('zsh: loads under compinit, registers _lhctl, and completes a verb and a table name', () => {
    // Not skipped when missing: .ci/run installs zsh, and a machine without it should say so.
    if (!hasZsh) throw new Error('zsh is not installed: apt-get install zsh (as .ci/run does) to test the zsh completion');
    const { env } = shellHome();
    // compadd only runs inside a completion widget, so it is stood in for by a function printing what it was given.
    const complete = (words: string) => shell('zsh', `source <(lhctl completion zsh)\ncompadd() { shift $(( \${@[(i)--]} )); print -l -- "$@"; }\nwords=(${words}); CURRENT=\${#words}; _lhctl`, env);
    expect(shell('zsh', 'source <(lhctl completion zsh); print -r -- $_comps[lhctl]', env)).toEqual(['_lhctl']);
    expect(complete('lhctl engine st')).toEqual(['start', 'stop', 'status']);
    expect(complete('lhctl describe --env local local_g')).toEqual(['local_gold.dim_customer']);
  });

  it('answers from the cache, without an engine, and `lhctl tables` is what writes it', async () => {
    const { home, env } = shellHome();
    const started = performance.now();
    const result = spawnSync(process.execPath, [CLI, '__complete', '--', 'vacuum', ''], { env, encoding: 'utf8' });
    expect(result.stdout.split('\n').filter(Boolean)).toEqual(['gold.dim_customer', 'silver.orders', 'local_gold.dim_customer', 'local_silver.orders']);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(existsSync(join(home, 'audit.jsonl'))).toBe(false);
    // The suite's engine home: `lhctl tables` there lists the local env and leaves the cache beside it.
    const listed = await runCli(['tables', '--env', 'local', '-o', 'json'], { env: { LHCTL_ENV: '' } });
    expect(listed.code).toBe(0);
    const cached = JSON.parse(readFileSync(join(process.env['LHCTL_TEST_HOME'] ?? join(REPO_ROOT, 'test', '.work', 'home'), 'cache', 'tables-local.json'), 'utf8')) as { tables: string[] };
    const names = listed.stdout.trim().startsWith('[') ? (JSON.parse(listed.stdout) as Array<{ table: string }>).map((t) => t.table) : [];
    expect(cached.tables).toEqual(names);
  });
});
