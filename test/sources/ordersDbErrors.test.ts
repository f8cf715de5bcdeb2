import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { ordersDatabase } from '../../src/services/postgres.js';
import { type CliResult, runCli } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { TEST_HOME } from '../support/paths.js';
import { liveProfilesDir } from '../support/profiles.js';

/**
 * A pull from an orders database that refuses the login or does not answer, through the real `lhctl`
 * against the real PostgreSQL lhctl runs, named by its address as a database of your own would be.
 */
const stamp = Date.now();
const ENV = 'pulltest';
const SCHEMAS = { bronze: `pull_${stamp}_bronze`, silver: `pull_${stamp}_silver`, gold: `pull_${stamp}_gold` };
const host = { home: TEST_HOME, javaHome: undefined, env: process.env };

describe('pulls from an orders database that refuses or does not answer', () => {
  let engine: SqlEngine;
  let profiles = '';
  let address = '';

  function pull(password: string): Promise<CliResult> {
    return runCli(['run', 'ingest', '--only', 'ingest_customers', '--env', ENV], { env: { LHCTL_PROFILES_DIR: profiles, LHCTL_ORDERS_DB_PASSWORD: password } });
  }

  beforeAll(async () => {
    engine = await sharedEngine();
    const started = await runCli(['services', 'start', 'postgres']);
    expect(started.code, started.stderr).toBe(0);
    const db = await ordersDatabase(host);
    address = `${db.host}:${db.port}`;
    profiles = liveProfilesDir(ENV, SCHEMAS, { topic: `test.pull.${stamp}`, ordersDbTables: ['customers'], ordersDbUrl: `jdbc:postgresql://${address}/${db.database}` });
    // The env's bronze schema, so each test's pull (--only) meets nothing but the database.
    const setup = await runCli(['run', 'ingest', '--only', 'bronze_setup', '--env', ENV], { env: { LHCTL_PROFILES_DIR: profiles } });
    expect(setup.code, setup.stderr).toBe(0);
  }, 600_000);

  afterAll(async () => {
    await runCli(['services', 'start', 'postgres']);
    await queryRows(engine, `DROP SCHEMA IF EXISTS ${SCHEMAS.bronze} CASCADE`).catch(() => undefined);
    await engine.close();
  });

  it('a wrong password fails naming the database and the user, never the password', async () => {
    const result = await pull('not-the-password');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not connect to the orders database at ${address} as lhctl`);
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-password');
    expect(result.stderr).not.toMatch(/\tat |at org\.postgresql/);
  }, 300_000);

  it('a stopped database fails after the retries, naming it; once it is back the pull completes', async () => {
    const { password } = await ordersDatabase(host);
    const stopped = await runCli(['services', 'stop', 'postgres']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const failed = await pull(password);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ingest_customers retrying/);
    expect(failed.stderr).toContain(`could not connect to the orders database at ${address} as lhctl: it did not answer, or refused the login; nothing was pulled`);
    const started = await runCli(['services', 'start', 'postgres']);
    expect(started.code, started.stderr).toBe(0);
    const rerun = await pull(password);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(`${failed.stdout}${failed.stderr}${rerun.stdout}${rerun.stderr}`).not.toContain(password);
  }, 600_000);
});
