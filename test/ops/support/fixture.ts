import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeStatement, type SqlEngine } from '../../../src/engines/engine.js';
import { RESET_COMMIT_METADATA_SQL, commitTag } from '../../../src/ops/history.js';
import { parseProfile, type Profile } from '../../../src/profiles/profile.js';
import { REPO_ROOT } from '../../support/paths.js';

/**
 * The ops suite's own small medallion: tables shaped like the demo's gold tables in schemas of
 * its own, with versions written the way pipeline batches write them.
 */
export const SUITE = 'ops_suite';
export const PROFILES_DIR = join(REPO_ROOT, 'test', '.work', 'ops-profiles');

const profileYaml = (name: string, isProtected: boolean): string => `name: ${name}
engine: local
catalog: spark_catalog
schemas:
  bronze: ${SUITE}_bronze
  silver: ${SUITE}_silver
  gold: ${SUITE}_gold
protected: ${isProtected}
`;

/** Writes the suite's profiles (plus the bundled ones) where the CLI reads them via LHCTL_PROFILES_DIR. */
export function writeSuiteProfiles(): Profile {
  mkdirSync(PROFILES_DIR, { recursive: true });
  for (const name of ['local', 'dev', 'prod']) writeFileSync(join(PROFILES_DIR, `${name}.yaml`), readFileSync(join(REPO_ROOT, 'profiles', `${name}.yaml`)));
  writeFileSync(join(PROFILES_DIR, `${SUITE}.yaml`), profileYaml(SUITE, false));
  writeFileSync(join(PROFILES_DIR, `${SUITE}_prod.yaml`), profileYaml(`${SUITE}_prod`, true));
  return parseProfile(profileYaml(SUITE, false), join(PROFILES_DIR, `${SUITE}.yaml`));
}

export const CLI_ENV = { LHCTL_PROFILES_DIR: PROFILES_DIR };

const GOLD = `${SUITE}_gold`;

/** Batch 1 loads five customers; batch 2 changes C2's email (SCD2: close + new version) and adds C6. */
export const CUSTOMER_BATCHES = [
  `INSERT INTO ${GOLD}.dim_customer VALUES
    (1, 'C1', 'Ada', 'ada@example.com', 'Oslo', DATE'2026-01-01', NULL, true),
    (2, 'C2', 'Bo', 'bo@example.com', 'Bergen', DATE'2026-01-01', NULL, true),
    (3, 'C3', 'Cy', 'cy@example.com', 'Oslo', DATE'2026-01-01', NULL, true),
    (4, 'C4', 'Di', 'di@example.com', 'Tromso', DATE'2026-01-01', NULL, true),
    (5, 'C5', 'Ed', 'ed@example.com', 'Bergen', DATE'2026-01-01', NULL, true)`,
  `MERGE INTO ${GOLD}.dim_customer t
   USING (
     SELECT 'C2' AS merge_key, 'C2' AS customer_id, 'Bo' AS name, 'bo@new.example.com' AS email, 'Bergen' AS city
     UNION ALL SELECT NULL, 'C2', 'Bo', 'bo@new.example.com', 'Bergen'
     UNION ALL SELECT NULL, 'C6', 'Fay', 'fay@example.com', 'Oslo'
   ) s
   ON t.customer_id = s.merge_key AND t.is_current
   WHEN MATCHED AND t.email <> s.email THEN UPDATE SET effective_to = DATE'2026-02-01', is_current = false
   WHEN NOT MATCHED AND s.merge_key IS NULL THEN INSERT (customer_sk, customer_id, name, email, city, effective_from, effective_to, is_current) VALUES
     (CASE s.customer_id WHEN 'C2' THEN 6 ELSE 7 END, s.customer_id, s.name, s.email, s.city, DATE'2026-02-01', NULL, true)`,
];

export async function buildFixture(engine: SqlEngine): Promise<void> {
  for (const layer of ['bronze', 'silver', 'gold']) await executeStatement(engine, `CREATE SCHEMA IF NOT EXISTS ${SUITE}_${layer}`);
  for (const table of ['dim_customer', 'dim_store', 'fact_sales', 'agg_daily_sales']) await executeStatement(engine, `DROP TABLE IF EXISTS ${GOLD}.${table}`);
  // v0 create, v1 batch 1, v2 batch 2: the Change Data Feed is on, as in the pipeline's gold layer.
  await executeStatement(
    engine,
    `CREATE TABLE ${GOLD}.dim_customer (customer_sk BIGINT, customer_id STRING, name STRING, email STRING, city STRING,
       effective_from DATE, effective_to DATE, is_current BOOLEAN) USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true)`,
  );
  await executeStatement(engine, CUSTOMER_BATCHES[0]!);
  // Batch 2 is written as the pipeline's task would be: stamped with its run and task.
  await executeStatement(engine, commitTag('r-42', 'gold_dim_customer').sql);
  await executeStatement(engine, CUSTOMER_BATCHES[1]!);
  await executeStatement(engine, RESET_COMMIT_METADATA_SQL);
  // SCD1 store dimension without the feed: diffs of it compare snapshots. v1 load, v2 one rename, one close.
  await executeStatement(engine, `CREATE TABLE ${GOLD}.dim_store (store_id INT, store_name STRING, region STRING, open BOOLEAN) USING DELTA`);
  await executeStatement(engine, `INSERT INTO ${GOLD}.dim_store VALUES (1, 'Oslo City', 'east', true), (2, 'Bergen Sentrum', 'west', true), (3, 'Tromso Nord', 'north', true)`);
  await executeStatement(
    engine,
    `MERGE INTO ${GOLD}.dim_store t USING (SELECT 2 AS store_id, 'Bergen Storsenter' AS store_name, 'west' AS region, true AS open UNION ALL SELECT 4, 'Stavanger', 'west', true) s
     ON t.store_id = s.store_id
     WHEN MATCHED THEN UPDATE SET *
     WHEN NOT MATCHED THEN INSERT *
     WHEN NOT MATCHED BY SOURCE AND t.store_id = 3 THEN DELETE`,
  );
  // Small appends, as hourly batches leave them: many files for OPTIMIZE to compact.
  await executeStatement(engine, `CREATE TABLE ${GOLD}.fact_sales (transaction_id STRING, line_number INT, store_key INT, date_key INT, amount DECIMAL(12,2)) USING DELTA`);
  for (let batch = 0; batch < 4; batch++) {
    await executeStatement(
      engine,
      `INSERT INTO ${GOLD}.fact_sales SELECT concat('T', ${batch}, '-', id), 1, CAST(id % 5 AS INT), 20260101 + ${batch}, CAST(id AS DECIMAL(12,2)) FROM range(0, 50, 1, 2)`,
    );
  }
  // Retention floor of zero so a VACUUM of the files the overwrite removed runs at once.
  await executeStatement(
    engine,
    `CREATE TABLE ${GOLD}.agg_daily_sales (sale_date DATE, store_key INT, product_key INT, revenue DECIMAL(14,2)) USING DELTA
     TBLPROPERTIES (delta.deletedFileRetentionDuration = 'interval 0 hours')`,
  );
  await executeStatement(engine, `INSERT INTO ${GOLD}.agg_daily_sales SELECT DATE'2026-01-01', CAST(id AS INT), 1, 10.00 FROM range(0, 20, 1, 2)`);
  await executeStatement(engine, `INSERT OVERWRITE ${GOLD}.agg_daily_sales SELECT DATE'2026-01-02', CAST(id AS INT), 1, 12.50 FROM range(0, 20, 1, 2)`);
}
