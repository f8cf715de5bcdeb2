import { executeStatement, type SqlEngine } from '../../../src/engines/engine.js';
import { profilesDirWith } from '../../support/profiles.js';

/** The UI suites' own medallion schemas on the shared engine, apart from the pipeline's. */
export const FIXTURE_SCHEMAS = { bronze: 'ui_fixture_bronze', silver: 'ui_fixture_silver', gold: 'ui_fixture_gold' } as const;
export const FIXTURE_TABLE = `${FIXTURE_SCHEMAS.gold}.customer_snapshot`;

/** The bundled profiles, with `local` pointed at the fixture schemas. */
export function fixtureProfilesDir(): string {
  return profilesDirWith('local', FIXTURE_SCHEMAS);
}

/** Versions 0–3 (create, insert 3, update 1, insert 40), CDF on: enough for history, CDF, diff. */
export function fixtureStatements(): string[] {
  return [
    ...Object.values(FIXTURE_SCHEMAS).map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`),
    `DROP TABLE IF EXISTS ${FIXTURE_TABLE}`,
    `CREATE TABLE ${FIXTURE_TABLE} (customer_id STRING, name STRING, city STRING, segment STRING) USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)`,
    `INSERT INTO ${FIXTURE_TABLE} VALUES ('C1', 'Ada', 'Oslo', 'retail'), ('C2', 'Bo', 'Rome', 'retail'), ('C3', 'Cy', 'Lima', 'b2b')`,
    `UPDATE ${FIXTURE_TABLE} SET city = 'Bergen' WHERE customer_id = 'C1'`,
    `INSERT INTO ${FIXTURE_TABLE} SELECT concat('C', id + 10), concat('name', id), 'Paris', 'retail' FROM range(0, 40) AS t(id)`,
    `CREATE TABLE IF NOT EXISTS ${FIXTURE_SCHEMAS.silver}.orders_snapshot USING delta AS SELECT id AS order_id, id % 97 AS store_id FROM range(0, 1000) AS t(id)`,
  ];
}

/** (Re)creates the fixture tables so their history is always versions 0–3. */
export async function createFixtureTables(engine: SqlEngine): Promise<void> {
  for (const statement of fixtureStatements()) await executeStatement(engine, statement);
}
