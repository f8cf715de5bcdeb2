/**
 * Governance on the real local engine, through the real `lhctl` process: the bundled policy rendered as
 * one view schema per group, `lhctl sql --as <group>` reading through it, and the PII coverage check.
 * Small gold-shaped tables (only the columns the policy names) live in schemas named for this run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { runCli } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { REPO_ROOT } from '../support/paths.js';
import { profilesDirWith } from '../support/profiles.js';

const RUN = `gov${Date.now().toString(36)}`;
const SCHEMAS = { bronze: `${RUN}_bronze`, silver: `${RUN}_silver`, gold: `${RUN}_gold` };
const ENV = 'govpreview';
const GOLD = `spark_catalog.${SCHEMAS.gold}`;

let engine: SqlEngine;
let cliEnv: NodeJS.ProcessEnv;
let profilesDir: string;

async function sql(...statements: string[]): Promise<void> {
  for (const statement of statements) await executeStatement(engine, statement);
}

beforeAll(async () => {
  engine = await sharedEngine();
  profilesDir = profilesDirWith(ENV, SCHEMAS);
  cliEnv = { LHCTL_PROFILES_DIR: profilesDir };
  await sql(
    `CREATE SCHEMA ${GOLD}`,
    `CREATE SCHEMA spark_catalog.${SCHEMAS.silver}`,
    `CREATE TABLE ${GOLD}.dim_customer USING DELTA AS SELECT * FROM VALUES
      (1L, 'C1', 'ann.lee1@mail.example', '+1-555-0001234', '12 Oak St'), (2L, 'C2', 'bo.kim2@mail.example', '+1-555-0005678', '7 Elm St'),
      (3L, 'C3', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING)) AS t(customer_sk, customer_id, email, phone, street)`,
    // The managers' column holds emails the policy does not mask: the PII check's planted column.
    `CREATE TABLE ${GOLD}.dim_store USING DELTA AS SELECT * FROM VALUES
      (10L, 'S001', 'west', 'ann.lee@stores.example'), (11L, 'S002', 'west', 'bo.kim@stores.example'),
      (20L, 'S003', 'east', 'cy.ray@stores.example'), (30L, 'WEB', 'online', 'di.fox@stores.example') AS t(store_sk, store_id, region, manager)`,
    `CREATE TABLE ${GOLD}.fact_sales USING DELTA AS SELECT transaction_id, store_sk, quantity, CAST(net_amount AS DECIMAL(14,2)) AS net_amount FROM VALUES
      ('T1', 10L, 1, 5.00), ('T2', 11L, 2, 7.50), ('T3', 20L, 1, 3.25), ('T4', 30L, 4, 12.00), ('T5', 10L, 3, 1.10) AS t(transaction_id, store_sk, quantity, net_amount)`,
  );
}, 900_000);

afterAll(async () => {
  // This run's schemas: the tables' and the previews built of them (`<run>_gold__analysts`).
  const { rows } = await queryRows(engine, `SHOW SCHEMAS IN spark_catalog LIKE '${RUN}_*'`);
  for (const [schema] of rows) await executeStatement(engine, `DROP SCHEMA IF EXISTS spark_catalog.\`${String(schema)}\` CASCADE`);
  await engine.close();
}, 900_000);

/** Several reads as one group, in one `lhctl sql --as` (one process, one preview check). */
async function asGroup(group: string, ...queries: string[]): Promise<{ code: number | null; results: Array<Array<Record<string, unknown>>>; stderr: string }> {
  const result = await runCli(['sql', '--env', ENV, '--as', group, '-o', 'json', queries.join(';\n')], { env: cliEnv });
  if (result.code !== 0) return { code: result.code, results: [], stderr: result.stderr };
  const parsed = JSON.parse(result.stdout) as Array<Record<string, unknown>> | Record<string, Array<Record<string, unknown>>>;
  return { code: result.code, results: Array.isArray(parsed) ? [parsed] : Object.values(parsed), stderr: result.stderr };
}

async function byHand(query: string): Promise<unknown[]> {
  return (await queryRows(engine, query)).rows[0]!;
}

describe('local access preview (lhctl sql --as <group>, real engine)', { timeout: 300_000 }, () => {
  it('analysts read masked emails, phones and streets, and as many rows as the table holds; data engineers read them as they are', async () => {
    const analysts = await asGroup(
      'analysts',
      'SELECT customer_id, email, phone, street FROM gold.dim_customer ORDER BY customer_id',
      `SELECT count(email) AS n, count(*) AS total FROM ${SCHEMAS.gold}.dim_customer`,
      'SELECT count(*) AS lines FROM gold.fact_sales',
    );
    expect(analysts.stderr).toContain('building the policy preview of analysts');
    expect(analysts.code).toBe(0);
    const [masked, counts, sales] = analysts.results;
    expect(masked).toEqual([
      { customer_id: 'C1', email: '***@mail.example', phone: '***-***-1234', street: '*** Oak St' },
      { customer_id: 'C2', email: '***@mail.example', phone: '***-***-5678', street: '*** Elm St' },
      { customer_id: 'C3', email: null, phone: null, street: null },
    ]);
    const [n, total] = await byHand(`SELECT count(email), count(*) FROM ${GOLD}.dim_customer`);
    expect(counts).toEqual([{ n: Number(n), total: Number(total) }]);
    // Analysts are not row-filtered.
    expect(sales).toEqual([{ lines: 5 }]);

    const engineers = await asGroup('data_engineers', "SELECT email FROM gold.dim_customer WHERE customer_id = 'C1'");
    // Each group's preview is built when first read, then found up to date.
    expect(engineers.stderr).toContain('building the policy preview of data_engineers');
    const again = await asGroup('analysts', 'SELECT count(*) AS n FROM gold.dim_customer');
    expect(again.stderr).not.toContain('building the policy preview');
    expect(again.results).toEqual([[{ n: 3 }]]);
    expect(engineers.results).toEqual([[{ email: 'ann.lee1@mail.example' }]]);
  });

  it("a store manager of a region reads only that region's sales, with totals equal to the same filter by hand", async () => {
    const west = await asGroup('store_managers_west', 'SELECT count(*) AS lines, sum(net_amount) AS total FROM gold.fact_sales', 'SELECT DISTINCT store_sk FROM gold.fact_sales ORDER BY store_sk');
    expect(west.code).toBe(0);
    const [lines, total] = await byHand(`SELECT count(*), sum(f.net_amount) FROM ${GOLD}.fact_sales AS f JOIN ${GOLD}.dim_store AS s ON s.store_sk = f.store_sk WHERE s.region = 'west'`);
    expect(west.results[0]).toEqual([{ lines: Number(lines), total: String(total) }]);
    expect(west.results[0]![0]!['lines']).toBe(3);
    expect(west.results[1]).toEqual([{ store_sk: 10 }, { store_sk: 11 }]);

    const east = await asGroup('store_managers_east', 'SELECT transaction_id FROM gold.fact_sales');
    expect(east.results).toEqual([[{ transaction_id: 'T3' }]]);
  });

  it('refuses a table the group may not read, a group with regions named without one, and writes', async () => {
    const partners = await asGroup('partners', 'SELECT * FROM gold.dim_customer');
    expect(partners.code).toBe(2);
    expect(partners.stderr).toContain('group partners cannot read gold.dim_customer: ');

    const regional = await runCli(['sql', '--env', ENV, '--as', 'store_managers', 'SELECT 1'], { env: cliEnv });
    expect(regional.code).toBe(2);
    expect(regional.stderr).toContain('group "store_managers" has one role per region');
    expect(regional.stderr).toContain('store_managers_west');

    const write = await runCli(['sql', '--env', ENV, '--as', 'analysts', 'DELETE FROM gold.fact_sales'], { env: cliEnv });
    expect(write.code).toBe(2);
    expect(write.stderr).toContain('--as runs reads only');
  });
});

describe('PII coverage check (lhctl grants pii, real engine)', { timeout: 300_000 }, () => {
  it('fails on a planted unmasked email column and passes once the policy masks it', async () => {
    const planted = await runCli(['grants', 'pii', '--env', ENV, '-o', 'json'], { env: cliEnv });
    expect(planted.code).toBe(1);
    const findings = JSON.parse(planted.stdout) as Array<Record<string, unknown>>;
    expect(findings).toContainEqual({ table: 'gold.dim_store', column: 'manager', looks_like: 'email', matched: '4/4', mask: null, status: 'UNMASKED' });
    expect(findings).toContainEqual({ table: 'gold.dim_customer', column: 'email', looks_like: 'email', matched: '2/2', mask: 'email', status: 'masked' });
    expect(findings).toContainEqual({ table: 'gold.dim_customer', column: 'phone', looks_like: 'phone', matched: '2/2', mask: 'phone', status: 'masked' });
    expect(findings).toContainEqual({ table: 'gold.dim_customer', column: 'street', looks_like: 'street', matched: '2/2', mask: 'street', status: 'masked' });
    expect(findings.filter((f) => f['status'] === 'UNMASKED')).toHaveLength(1);
    expect(planted.stderr).toContain('add a mask for gold.dim_store.manager');

    const policy = join(profilesDir, 'policy-with-manager-mask.yaml');
    const bundled = readFileSync(join(REPO_ROOT, 'governance', 'policy.yaml'), 'utf8');
    writeFileSync(policy, bundled.replace('masks:\n', 'masks:\n  - column: gold.dim_store.manager\n    rule: email\n    unmasked_for: [data_engineers]\n'));
    const masked = await runCli(['grants', 'pii', '--env', ENV, '--policy', policy, '-o', 'json'], { env: cliEnv });
    expect(masked.code).toBe(0);
    expect(JSON.parse(masked.stdout)).toContainEqual({ table: 'gold.dim_store', column: 'manager', looks_like: 'email', matched: '4/4', mask: 'email', status: 'masked' });
  });
});
