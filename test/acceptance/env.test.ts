import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** `lhctl env` in a home of its own: `env use` must not move the other suites' default env. */
function envCli(extra: NodeJS.ProcessEnv = {}): (args: string[]) => ReturnType<typeof runCli> {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-env-home-'));
  const env = { LHCTL_HOME: home, LHCTL_ENV: '', DATABRICKS_CONFIG_FILE: join(home, 'databrickscfg'), DATABRICKS_TOKEN: '', DATABRICKS_HOST: '', ...extra };
  return (args) => runCli(args, { env });
}

const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

describe('lhctl env list|show|use (real binary)', () => {
  it('lists every env with the current one marked and prod read-only', async () => {
    const lhctl = envCli();
    const listed = await lhctl(['env', 'list', '-o', 'json']);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r['env'])).toEqual(['dev', 'live', 'local', 'prod', 'qa']);
    expect(rows.find((r) => r['current'] === '*')?.['env']).toBe('local');
    expect(rows.find((r) => r['env'] === 'prod')).toMatchObject({ protected: 'yes', armed_until: 'no (read-only)', catalog: 'retail_datalake' });
  });

  it('use switches the default for later commands; LHCTL_ENV and --env win over it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-env-home-'));
    const base = { LHCTL_HOME: home, LHCTL_ENV: '', DATABRICKS_CONFIG_FILE: join(home, 'none') };
    const used = await runCli(['env', 'use', 'qa'], { env: base });
    expect(used.code).toBe(0);
    expect(used.stdout).toContain('commands without --env now go to env "qa"');
    expect(json((await runCli(['env', 'show', '-o', 'json'], { env: base })).stdout)).toMatchObject({ env: 'qa', selected_by: 'lhctl env use', current: true });
    expect(json((await runCli(['env', 'show', '-o', 'json'], { env: { ...base, LHCTL_ENV: 'dev' } })).stdout)).toMatchObject({ env: 'dev', selected_by: 'LHCTL_ENV' });
    expect(json((await runCli(['env', 'show', '--env', 'local', '-o', 'json'], { env: base })).stdout)).toMatchObject({ env: 'local', selected_by: '--env' });
    const pinned = await runCli(['env', 'use', 'prod'], { env: { ...base, LHCTL_ENV: 'dev' } });
    expect(pinned.stderr).toContain('LHCTL_ENV=dev is set in this shell and still wins');
    expect(pinned.stdout).toContain('read-only until `lhctl arm --env prod`');
  });

  it('refuses an unknown env with the closest name and keeps the current choice', async () => {
    const lhctl = envCli();
    const wrong = await lhctl(['env', 'use', 'prd']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Did you mean --env prod?');
    expect(json((await lhctl(['env', 'show', '-o', 'json'])).stdout)).toMatchObject({ env: 'local', selected_by: 'default' });
  });

  it('says which credential a Databricks env will use without printing it', async () => {
    const token = 'dapi00000000000000000000000000000042';
    const withToken = await envCli({ DATABRICKS_TOKEN: token, DATABRICKS_HOST: 'https://adb-1.example.net' })(['env', 'show', 'qa', '-o', 'json']);
    expect(json(withToken.stdout)).toMatchObject({ env: 'qa', credential: 'personal access token from DATABRICKS_TOKEN', notify_on_failure: 'lakehouse-oncall@example.com' });
    expect(withToken.stdout + withToken.stderr).not.toContain(token);

    const home = mkdtempSync(join(tmpdir(), 'lhctl-env-home-'));
    const config = join(home, 'databrickscfg');
    const missing = await runCli(['env', 'show', 'prod', '-o', 'json'], { env: { LHCTL_HOME: home, DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: '' } });
    expect(json(missing.stdout)['credential']).toMatch(/^none found: .*databrickscfg does not exist \(looked for DATABRICKS_HOST \+ DATABRICKS_TOKEN/);
    writeFileSync(config, '[retail-prod]\nhost = https://adb-2.example.net\ntoken = dapi-not-printed\n');
    const found = await runCli(['env', 'show', 'prod', '-o', 'json'], { env: { LHCTL_HOME: home, DATABRICKS_CONFIG_FILE: config, DATABRICKS_TOKEN: '' } });
    expect(json(found.stdout)).toMatchObject({ credential: `profile [retail-prod] in ${config}`, protected: true, armed_until: 'no (read-only)' });
    expect(found.stdout).not.toContain('dapi-not-printed');
  });
});
