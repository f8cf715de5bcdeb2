import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeStatement, queryRecords, type SqlEngine } from '../../src/engines/engine.js';
import { runPipelineJob, type PipelineRunOptions } from '../../src/pipelines/execute.js';
import type { RunRecord } from '../../src/pipelines/runner/records.js';
import type { Profile } from '../../src/profiles/profile.js';
import type { Settings } from '../../src/profiles/settings.js';
import { testProfile, testSettings } from '../support/engine.js';

/** A local profile with schemas of its own, so this suite never touches another suite's tables. */
export function pipelineProfile(prefix: string, bronze = `${prefix}_bronze`): Profile {
  return { ...testProfile('local'), schemas: { bronze, silver: `${prefix}_silver`, gold: `${prefix}_gold` } };
}

/** Settings whose home (landing zone, run records) is a fresh directory; the engine stays the suite's. */
export function pipelineSettings(): Settings {
  return { ...testSettings(), home: mkdtempSync(join(tmpdir(), 'lhctl-pipeline-')) };
}

/** Drops the profile's schemas; `layers` leaves out a bronze another profile shares. */
export async function dropSchemas(engine: SqlEngine, profile: Profile, layers: readonly ('bronze' | 'silver' | 'gold')[] = ['bronze', 'silver', 'gold']): Promise<void> {
  for (const layer of layers) await executeStatement(engine, `DROP SCHEMA IF EXISTS ${profile.catalog}.${profile.schemas[layer]} CASCADE`);
}

/** Runs jobs in order and fails with every task error when one does not succeed. */
export async function runJobs(engine: SqlEngine, profile: Profile, settings: Settings, jobs: string[], options: PipelineRunOptions = {}): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const job of jobs) {
    const record = await runPipelineJob(engine, profile, settings, job, { retryBaseMs: 500, ...options });
    records.push(record);
    if (record.state !== 'succeeded') {
      const errors = record.tasks.filter((t) => t.error).map((t) => `${t.key}: ${t.error}`);
      throw new Error(`${job} ${record.state}:\n${errors.join('\n')}`);
    }
  }
  return records;
}

export const SILVER_TABLES = ['customers', 'products', 'stores', 'inventory', 'order_events', 'sales_transactions', 'quarantine'];
export const GOLD_TABLES = ['dim_customer', 'dim_product', 'dim_store', 'dim_date', 'fact_sales', 'agg_daily_sales'];

export function tableName(profile: Profile, layer: 'bronze' | 'silver' | 'gold', table: string): string {
  return `${profile.catalog}.${profile.schemas[layer]}.${table}`;
}

/** Row count and an order-independent content hash of every silver and gold table. */
export async function fingerprints(engine: SqlEngine, profile: Profile, extraGold: string[] = []): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const tables = [...SILVER_TABLES.map((t) => ['silver', t] as const), ...[...GOLD_TABLES, ...extraGold].map((t) => ['gold', t] as const)];
  for (const [layer, table] of tables) {
    const [row] = await queryRecords(
      engine,
      `SELECT count(*) AS n, bit_xor(xxhash64(to_json(struct(*)))) AS x, sum(abs(xxhash64(to_json(struct(*))) % 1000003)) AS s FROM ${tableName(profile, layer, table)}`,
    );
    out[`${layer}.${table}`] = `${row!['n']}/${row!['x']}/${row!['s']}`;
  }
  return out;
}

/** Rows in one table and not the other (both ways, duplicates counted). */
export async function rowDifference(engine: SqlEngine, left: string, right: string): Promise<number> {
  const [row] = await queryRecords(engine, `SELECT count(*) AS n FROM ((SELECT * FROM ${left} EXCEPT ALL SELECT * FROM ${right}) UNION ALL (SELECT * FROM ${right} EXCEPT ALL SELECT * FROM ${left}))`);
  return Number(row!['n']);
}

export async function scalar(engine: SqlEngine, sql: string): Promise<number> {
  const [row] = await queryRecords(engine, sql);
  return Number(Object.values(row ?? {})[0] ?? NaN);
}
