import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryError } from '../../src/core/errors.js';
import { executeStatement, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { localLayout } from '../../src/engines/local/layout.js';
import { sharedEngine, testSettings } from '../support/engine.js';

const SCHEMA = 'uncommitted_suite';

/** What an interrupted CREATE TABLE leaves: a data file and a half-written log, no commit. */
function leaveInterruptedCreate(folder: string): void {
  mkdirSync(join(folder, '_delta_log'), { recursive: true });
  writeFileSync(join(folder, '_delta_log', '.00000000000000000000.json.5f0c.tmp'), '{"commitInfo":');
  writeFileSync(join(folder, 'part-00000-5f0c.snappy.parquet'), 'partial');
}

describe('local engine: a CREATE TABLE interrupted before its first commit', () => {
  let engine: SqlEngine;
  const layout = localLayout(testSettings().home);
  const schemaDir = join(layout.warehouseDir, `${SCHEMA}.db`);

  beforeAll(async () => {
    engine = await sharedEngine();
    await executeStatement(engine, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await executeStatement(engine, `CREATE SCHEMA ${SCHEMA}`);
  });
  afterAll(async () => {
    await executeStatement(engine, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await engine.close();
  });

  it('is created again on the rerun, the leftover folder moved aside under local/uncommitted rather than deleted', async () => {
    leaveInterruptedCreate(join(schemaDir, 'orders'));
    await executeStatement(engine, `CREATE TABLE IF NOT EXISTS ${SCHEMA}.orders (id INT) USING DELTA`);
    await executeStatement(engine, `INSERT INTO ${SCHEMA}.orders VALUES (1), (2)`);
    expect((await queryRows(engine, `SELECT count(*) FROM ${SCHEMA}.orders`)).rows).toEqual([[2n]]);
    const setAside = readdirSync(join(layout.dataDir, 'uncommitted')).filter((name) => name.startsWith(`${SCHEMA}.db.orders.`));
    expect(setAside).toHaveLength(1);
    expect(existsSync(join(layout.dataDir, 'uncommitted', setAside[0]!, 'part-00000-5f0c.snappy.parquet'))).toBe(true);
  });

  it('leaves a non-empty folder outside the warehouse alone and reports Delta\'s error', async () => {
    const outside = mkdtempSync(join(layout.dataDir, 'outside-'));
    leaveInterruptedCreate(outside);
    const error = await executeStatement(engine, `CREATE TABLE ${SCHEMA}.elsewhere (id INT) USING DELTA LOCATION '${outside}'`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).errorClass).toBe('DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION');
    expect(existsSync(join(outside, 'part-00000-5f0c.snappy.parquet'))).toBe(true);
  });
});
