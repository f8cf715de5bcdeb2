import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../src/core/errors.js';
import { executeStatement, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { localLayout } from '../../src/engines/local/layout.js';
import { sharedEngine, testSettings } from '../support/engine.js';
import { CLI, TEST_HOME } from '../support/paths.js';

const SCHEMA = 'orphaned_suite';

/** What an interrupted CREATE TABLE leaves: a data file and a half-written log, no commit. */
function leaveInterruptedCreate(folder: string): void {
  mkdirSync(join(folder, '_delta_log'), { recursive: true });
  writeFileSync(join(folder, '_delta_log', '.00000000000000000000.json.5f0c.tmp'), '{"commitInfo":');
  writeFileSync(join(folder, 'part-00000-5f0c.snappy.parquet'), 'partial');
}

describe('local engine: a CREATE TABLE interrupted before the catalog registered the table', () => {
  let engine: SqlEngine;
  const notices: string[] = [];
  const layout = localLayout(testSettings().home);
  const schemaDir = join(layout.warehouseDir, `${SCHEMA}.db`);
  const { orphanedDir } = layout;

  beforeAll(async () => {
    engine = await sharedEngine((message) => notices.push(message));
    await executeStatement(engine, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await executeStatement(engine, `CREATE SCHEMA ${SCHEMA}`);
    // What earlier runs of this suite set aside, so each run counts only its own.
    for (const name of existsSync(orphanedDir) ? readdirSync(orphanedDir) : []) {
      if (name.startsWith(`${SCHEMA}.`)) rmSync(join(orphanedDir, name), { recursive: true });
    }
  });
  afterAll(async () => {
    await executeStatement(engine, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await engine.close();
  });

  function setAside(table: string): string[] {
    return readdirSync(orphanedDir).filter((name) => name.startsWith(`${SCHEMA}.${table}.`));
  }

  it('before its first commit: created again on the rerun, the leftover folder moved aside under local/orphaned rather than deleted', async () => {
    leaveInterruptedCreate(join(schemaDir, 'orders'));
    await executeStatement(engine, `CREATE TABLE IF NOT EXISTS ${SCHEMA}.orders (id INT) USING DELTA`);
    await executeStatement(engine, `INSERT INTO ${SCHEMA}.orders VALUES (1), (2)`);
    expect((await queryRows(engine, `SELECT count(*) FROM ${SCHEMA}.orders`)).rows).toEqual([[2n]]);
    expect(setAside('orders')).toHaveLength(1);
    expect(existsSync(join(orphanedDir, setAside('orders')[0]!, 'part-00000-5f0c.snappy.parquet'))).toBe(true);
  });

  it('after its first commit (the engine killed before the catalog update): created again on the rerun, the committed folder moved aside', async () => {
    // A path-based CREATE commits version 0 in the table's managed folder and tells the catalog nothing.
    await executeStatement(engine, `CREATE TABLE delta.\`${join(schemaDir, 'products')}\` (id INT) USING DELTA`);
    expect(existsSync(join(schemaDir, 'products', '_delta_log', '00000000000000000000.json'))).toBe(true);
    await executeStatement(engine, `CREATE TABLE IF NOT EXISTS ${SCHEMA}.products (id INT, name STRING) USING DELTA`);
    expect((await queryRows(engine, `SELECT count(*) FROM ${SCHEMA}.products`)).rows).toEqual([[0n]]);
    expect((await queryRows(engine, `SHOW COLUMNS IN ${SCHEMA}.products`)).rows.flat()).toEqual(['id', 'name']);
    expect(setAside('products')).toHaveLength(1);
    expect(existsSync(join(orphanedDir, setAside('products')[0]!, '_delta_log', '00000000000000000000.json'))).toBe(true);
    // The operator hears of it: which table, and where its old folder went.
    expect(notices.find((n) => n.startsWith(`${SCHEMA}.products: `))).toContain(join(orphanedDir, setAside('products')[0]!));
  });

  it('`lhctl engine status` counts the folders set aside and says where they are', () => {
    const status = JSON.parse(execFileSync(process.execPath, [CLI, 'engine', 'status', '--output', 'json'], { env: { ...process.env, LHCTL_HOME: TEST_HOME }, encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    expect(status['orphaned_folders']).toBe(`${readdirSync(orphanedDir).length} in ${orphanedDir}`);
  });

  it("leaves a folder that is not the table's own managed folder alone and reports Delta's error", async () => {
    const outside = mkdtempSync(join(layout.dataDir, 'outside-'));
    leaveInterruptedCreate(outside);
    const error = await executeStatement(engine, `CREATE TABLE ${SCHEMA}.elsewhere (id INT) USING DELTA LOCATION '${outside}'`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).errorClass).toBe('DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION');
    expect(existsSync(join(outside, 'part-00000-5f0c.snappy.parquet'))).toBe(true);
  });
});
