import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, queryRecords, type SqlEngine } from '../../src/engines/engine.js';
import { localLayout } from '../../src/engines/local/layout.js';
import { readManifest } from '../../src/pipelines/generator/generate.js';
import { loadProfile } from '../../src/profiles/profile.js';
import { sqlStatements } from '../../src/sql/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { TEST_HOME } from '../support/paths.js';
import { profilesDirWith } from '../support/profiles.js';
import { dropSchemas, scalar } from './support.js';

// The real `lhctl` on an env of its own, with a landing zone of its own: its home links the suite's
// engine (runtime, server state, warehouse, metastore) but not its landing folder, which other suites reset.
const RUN = Date.now().toString(36).slice(-6);
const name = `lhi_${RUN}`;
const schemas = { bronze: `${name}_bronze`, silver: `${name}_silver`, gold: `${name}_gold` };
const profilesDir = profilesDirWith(name, schemas);
const profile = loadProfile(profilesDir, name);
const home = homeSharingEngine();
const landing = join(home, 'local', 'landing');
const env = { LHCTL_HOME: home, LHCTL_PROFILES_DIR: profilesDir, LHCTL_ENV: name };
const LONG = 10 * 60_000;
const LEDGER = `${profile.catalog}.${schemas.bronze}.ingested_files`;
const SOURCES = ['customers', 'products', 'stores', 'inventory', 'orders', 'sales_transactions'];

let engine: SqlEngine;

function homeSharingEngine(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-ingest-'));
  const shared = localLayout(TEST_HOME);
  symlinkSync(shared.runtimeDir, localLayout(dir).runtimeDir);
  mkdirSync(localLayout(dir).dataDir);
  for (const entry of readdirSync(shared.dataDir)) if (entry !== 'landing') symlinkSync(join(shared.dataDir, entry), join(localLayout(dir).dataDir, entry));
  return dir;
}

function lhctl(...args: string[]): Promise<CliResult> {
  return runCli(args, { env });
}

async function expectSuccess(...args: string[]): Promise<CliResult> {
  const result = await lhctl(...args);
  expect(result.code, `lhctl ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

function bronzeRows(source: string): Promise<number> {
  return scalar(engine, `SELECT count(*) FROM ${profile.catalog}.${schemas.bronze}.${source}`);
}

async function historyLengths(): Promise<Record<string, number>> {
  const lengths: Record<string, number> = {};
  for (const table of [...SOURCES, 'ingested_files']) lengths[table] = (await queryRecords(engine, `DESCRIBE HISTORY ${profile.catalog}.${schemas.bronze}.${table}`)).length;
  return lengths;
}

describe('bronze ingestion through the ingest ledger', () => {
  beforeAll(async () => {
    engine = await sharedEngine();
    await dropSchemas(engine, profile);
  }, LONG);

  afterAll(async () => {
    await dropSchemas(engine, profile).catch(() => undefined);
    await engine?.close();
  });

  it(
    'ingests each landed file once, and a run with nothing new adds no version to bronze or to the ledger',
    async () => {
      await expectSuccess('data', 'generate', '--batches', '1', '--scale', '0.01', '--seed', 'first');
      await expectSuccess('run', 'ingest');
      expect(await bronzeRows('sales_transactions')).toBe(readManifest(landing, 1).sources.sales_transactions.lines);
      expect(await scalar(engine, `SELECT count(*) FROM ${LEDGER}`)).toBe(SOURCES.length);
      const before = await historyLengths();
      await expectSuccess('run', 'ingest');
      expect(await historyLengths()).toEqual(before);
    },
    LONG,
  );

  it(
    'refuses a landed file whose content changed after bronze ingested it, naming the file, and goes on once it is put back',
    async () => {
      const file = join(landing, readManifest(landing, 1).sources.stores.file);
      const original = readFileSync(file);
      const { mtimeMs } = statSync(file);
      const rows = await bronzeRows('stores');
      appendFileSync(file, 'S900,Changed after ingestion,Nowhere,XX,online\n');

      const refused = await lhctl('run', 'ingest');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`landed file file:${file} changed since bronze ingested it (size ${original.length} → ${statSync(file).size} bytes`);
      expect(refused.stderr).toMatch(/Land new content under a new file name or batch folder/);
      expect(refused.stdout).toMatch(/ingest_stores\s+│ failed\s+│ 1 /);
      expect(await bronzeRows('stores')).toBe(rows);

      writeFileSync(file, original);
      // Half a millisecond over, so the float seconds utimes takes cannot round below the millisecond Spark reads.
      const mtime = (Math.floor(mtimeMs) + 0.5) / 1000;
      utimesSync(file, mtime, mtime);
      const before = await historyLengths();
      await expectSuccess('run', 'ingest');
      expect(await historyLengths()).toEqual(before);
    },
    LONG,
  );

  it(
    'after `data generate --reset` with a new seed, the next ingest brings the new landing into bronze',
    async () => {
      const rows = await bronzeRows('sales_transactions');
      const reset = await expectSuccess('data', 'generate', '--reset', '--seed', '90731', '--scale', '0.01');
      expect(reset.stderr).toContain(`under new file names, so the next \`lhctl run ingest\` appends it to bronze beside what ${profile.catalog}.${schemas.bronze} already holds`);
      await expectSuccess('run', 'ingest');
      expect(await bronzeRows('sales_transactions')).toBe(rows + readManifest(landing, 1).sources.sales_transactions.lines);
    },
    LONG,
  );

  it(
    'a run stopped between the bronze append and its ledger record appends nothing twice when run again',
    async () => {
      await expectSuccess('data', 'generate');
      const rows = await bronzeRows('orders');
      // Everything the orders task does but its last statement, the ledger record.
      const statements = sqlStatements('bronze/orders', { profile, landing });
      for (const statement of statements.slice(0, -1)) await executeStatement(engine, statement);
      const appended = readManifest(landing, 2).sources.orders.lines;
      expect(await bronzeRows('orders')).toBe(rows + appended);

      await expectSuccess('run', 'ingest');
      expect(await bronzeRows('orders')).toBe(rows + appended);
      const [ledger] = await queryRecords(engine, `SELECT count(*) AS files, sum(row_count) AS rows, count(file_size) AS sized FROM ${LEDGER} WHERE source = 'orders'`);
      expect(Object.fromEntries(Object.entries(ledger!).map(([k, v]) => [k, Number(v)]))).toEqual({ files: 3, rows: rows + appended, sized: 3 });
    },
    LONG,
  );

  it(
    'a bronze table from before the ledger is recorded, not ingested again',
    async () => {
      const rows = await bronzeRows('customers');
      await executeStatement(engine, `DELETE FROM ${LEDGER} WHERE source = 'customers'`);
      await expectSuccess('run', 'ingest');
      expect(await bronzeRows('customers')).toBe(rows);
      expect(await scalar(engine, `SELECT count(*) FROM ${LEDGER} WHERE source = 'customers' AND file_size IS NOT NULL`)).toBe(2);
    },
    LONG,
  );
});
