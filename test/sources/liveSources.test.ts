import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { ordersDatabase, updateRows } from '../../src/services/postgres.js';
import { type CliResult, runCli } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { TEST_HOME } from '../support/paths.js';
import { liveProfilesDir } from '../support/profiles.js';

/**
 * The pipeline fed by live sources — POS events from a real Kafka broker, customers, inventory and
 * orders pulled from a real PostgreSQL — against the same data landed as files, both run through the
 * `lhctl` process as an operator would, on the real local engine.
 */
const stamp = Date.now();
const LIVE = 'livetest';
const FILES = 'filestest';
const schemas = (prefix: string) => ({ bronze: `${prefix}_${stamp}_bronze`, silver: `${prefix}_${stamp}_silver`, gold: `${prefix}_${stamp}_gold` });
const LIVE_SCHEMAS = schemas('live');
const FILES_SCHEMAS = schemas('files');
const GOLD = ['dim_date', 'dim_customer', 'dim_product', 'dim_store', 'fact_sales', 'agg_daily_sales'];
const host = { home: TEST_HOME, javaHome: undefined, env: process.env };

// One folder holds both envs: `livetest` reads Kafka and the orders database lhctl runs, `filestest` the landing zone.
const profiles = liveProfilesDir(LIVE, LIVE_SCHEMAS, { topic: `test.live.${stamp}`, ordersDbTables: ['customers', 'inventory', 'orders'] });
const filesProfile = readFileSync(join(profiles, 'local.yaml'), 'utf8')
  .replace(/^name: local$/m, `name: ${FILES}`)
  .replace(/^(\s+)(bronze|silver|gold): \S+$/gm, (_l, indent: string, layer: 'bronze' | 'silver' | 'gold') => `${indent}${layer}: ${FILES_SCHEMAS[layer]}`);
writeFileSync(join(profiles, `${FILES}.yaml`), filesProfile);

const outputs: string[] = [];
async function lhctl(env: string, ...args: string[]): Promise<CliResult> {
  const result = await runCli([...args, '--env', env], { env: { LHCTL_PROFILES_DIR: profiles } });
  outputs.push(result.stdout, result.stderr);
  expect(result.code, `lhctl ${args.join(' ')} --env ${env}\n${result.stderr}`).toBe(0);
  return result;
}

describe('live sources (real Kafka, real PostgreSQL) against the same data landed as files', () => {
  let engine: SqlEngine;

  async function count(sql: string): Promise<number> {
    return Number((await queryRows(engine, sql)).rows[0]![0]);
  }

  beforeAll(async () => {
    engine = await sharedEngine();
  }, 600_000);

  afterAll(async () => {
    for (const s of [...Object.values(LIVE_SCHEMAS), ...Object.values(FILES_SCHEMAS)]) await queryRows(engine, `DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
    await engine.close();
  });

  it('builds the same gold from the topic and the database as from the files', async () => {
    // One batch lands as files and goes to the topic and the database (which holds only a customer's
    // latest version, so the batch is ingested before another lands); both envs build it at once on the one engine.
    await lhctl(LIVE, 'data', 'generate', '--reset', '--seed', 'live-equality', '--scale', '0.05');
    await Promise.all(
      [FILES, LIVE].map(async (env) => {
        await lhctl(env, 'run', 'ingest');
        await lhctl(env, 'run', 'transform');
      }),
    );
    for (const table of GOLD) {
      const live = `${LIVE_SCHEMAS.gold}.${table}`;
      const files = `${FILES_SCHEMAS.gold}.${table}`;
      expect(await count(`SELECT count(*) FROM ${live}`), table).toBeGreaterThan(0);
      expect(await count(`SELECT count(*) FROM (SELECT * FROM ${live} EXCEPT ALL SELECT * FROM ${files})`), `${table}: rows only the live env has`).toBe(0);
      expect(await count(`SELECT count(*) FROM (SELECT * FROM ${files} EXCEPT ALL SELECT * FROM ${live})`), `${table}: rows only the files env has`).toBe(0);
    }
  }, 1_200_000);

  it('carries a customer changed in the database to silver and to a new SCD2 version in gold; a rerun adds nothing', async () => {
    const db = await ordersDatabase(host);
    const [customerId] = (await queryRows(engine, `SELECT customer_id FROM ${LIVE_SCHEMAS.gold}.dim_customer WHERE is_current AND email IS NOT NULL ORDER BY customer_id LIMIT 1`)).rows[0]!;
    const changedAt = '2030-01-02 03:04:05';
    expect(await updateRows(db, 'customers', { customer_id: String(customerId) }, { email: 'moved@example.com', updated_at: changedAt })).toBe(1);

    const bronzeBefore = await count(`SELECT count(*) FROM ${LIVE_SCHEMAS.bronze}.customers`);
    await lhctl(LIVE, 'run', 'ingest', '--only', 'ingest_customers');
    expect(await count(`SELECT count(*) FROM ${LIVE_SCHEMAS.bronze}.customers`)).toBe(bronzeBefore + 1);
    await lhctl(LIVE, 'run', 'transform');
    const versions = (
      await queryRows(engine, `SELECT email, is_current, CAST(effective_from AS STRING) FROM ${LIVE_SCHEMAS.gold}.dim_customer WHERE customer_id = '${customerId}' ORDER BY effective_from`)
    ).rows;
    expect(versions.at(-1)).toEqual(['moved@example.com', true, changedAt]);
    expect(versions.filter((v) => v[1] === true)).toHaveLength(1);
    expect(versions.length).toBeGreaterThan(1);

    // Nothing changed since: the pull appends nothing and the transformation finds silver and gold up to date.
    await lhctl(LIVE, 'run', 'ingest', '--only', 'ingest_customers');
    expect(await count(`SELECT count(*) FROM ${LIVE_SCHEMAS.bronze}.customers`)).toBe(bronzeBefore + 1);
    const again = JSON.parse((await lhctl(LIVE, 'run', 'transform', '--output', 'json')).stdout) as { tasks: { task: string; state: string }[] };
    expect(again.tasks.find((t) => t.task === 'silver_customers')?.state).toBe('up-to-date');
    expect(again.tasks.find((t) => t.task === 'gold_dim_customer')?.state).toBe('up-to-date');
  }, 600_000);

  it('never shows the database password: not in output, the audit log, the engine log or a process list', async () => {
    const { password } = await ordersDatabase(host);
    expect(password.length).toBeGreaterThan(8);
    for (const text of outputs) expect(text).not.toContain(password);
    expect(readFileSync(join(TEST_HOME, 'audit.jsonl'), 'utf8')).not.toContain(password);
    expect(readFileSync(join(TEST_HOME, 'local', 'logs', 'server.log'), 'utf8')).not.toContain(password);
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(password);
  });
});
