import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, type SqlEngine } from '../../src/engines/engine.js';
import { diffVersions } from '../../src/ops/tableDiff.js';
import { readTableState } from '../../src/ops/tableDetail.js';
import type { TableRef } from '../../src/ops/tableRef.js';
import { sharedEngine } from '../support/engine.js';

const SCHEMA = 'diff_maps_suite';
const ref: TableRef = { catalog: 'spark_catalog', schema: SCHEMA, table: 'events', layer: 'silver' };

describe('diff of a table with a MAP column (Spark 3.5 warehouses cannot group by maps)', () => {
  let engine: SqlEngine;

  beforeAll(async () => {
    engine = await sharedEngine();
    for (const statement of [
      `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`,
      `CREATE SCHEMA ${SCHEMA}`,
      `CREATE TABLE ${SCHEMA}.events (id INT, tags MAP<STRING, STRING>, n INT) USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)`,
      `INSERT INTO ${SCHEMA}.events VALUES (1, map('a', 'x'), 1), (2, map('b', 'y'), 2), (3, map(), 3)`,
      `UPDATE ${SCHEMA}.events SET tags = map('a', 'z') WHERE id = 1`,
      `DELETE FROM ${SCHEMA}.events WHERE id = 3`,
      `INSERT INTO ${SCHEMA}.events VALUES (4, map('c', 'w'), 4)`,
    ]) {
      await executeStatement(engine, statement);
    }
  });
  afterAll(async () => {
    await executeStatement(engine, `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await engine.close();
  });

  for (const method of ['cdf', 'snapshot'] as const) {
    it(`compares the map by its JSON text, on a key and on whole rows (--method ${method})`, async () => {
      const state = await readTableState(engine, ref);
      const keyed = await diffVersions(engine, state, { fromVersion: 1, toVersion: 4, key: ['id'], method });
      expect(keyed).toMatchObject({ method, inserted: 1, deleted: 1, updated: 1 });
      const update = keyed.changes.find((c) => c.change === 'update')!;
      expect(update).toMatchObject({ key: { id: 1 }, changed: ['tags'], before: { tags: '{"a":"x"}' }, after: { tags: '{"a":"z"}' } });

      const whole = await diffVersions(engine, state, { fromVersion: 1, toVersion: 4, method });
      expect(whole).toMatchObject({ keySource: 'whole row', inserted: 2, deleted: 2, updated: 0 });
    });
  }
});
