/** The local preview's statements on a scripted engine: views per group, masks and row filters in their SELECT, rebuilt only on change. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRole, previewViewQuery, refreshPreview, roleNamed } from '../../src/ops/governance/localPreview.js';
import { loadPolicy, parsePolicy, policyRoles } from '../../src/ops/governance/policy.js';
import { scriptedEngine } from '../support/echoEngine.js';
import { testProfile } from '../support/engine.js';
import { REPO_ROOT } from '../support/paths.js';

const COLUMNS: Record<string, string[]> = { dim_customer: ['customer_id', 'email'], fact_sales: ['transaction_id', 'store_sk', 'net_amount'] };

/** Answers SHOW TABLES in local_gold with two tables and `SELECT * … LIMIT 0` with their columns. */
function scriptedPreviewEngine() {
  const strings = (names: string[]) => names.map((name) => ({ name, type: 'string', nullable: true }));
  return scriptedEngine((sql) => {
    if (sql === 'SHOW TABLES IN `spark_catalog`.`local_gold`') return { columns: strings(['namespace', 'tableName', 'isTemporary']), rows: Object.keys(COLUMNS).map((t) => ['local_gold', t, false]) };
    const probe = /^SELECT \* FROM `spark_catalog`\.`local_gold`\.`(\w+)` LIMIT 0$/.exec(sql);
    return { columns: strings(probe ? COLUMNS[probe[1]!]! : []), rows: [] };
  });
}

describe('local policy preview', () => {
  const profile = testProfile('local');
  const policy = loadPolicy();

  it("renders a group's view with masked columns and a region's row filter", () => {
    const analysts = roleNamed(policy, profile, 'analysts');
    expect(previewViewQuery(profile, policy, analysts, 'gold', 'dim_customer', ['customer_id', 'email'])).toBe(
      "SELECT `customer_id`, regexp_replace(`email`, '^[^@]+', '***') AS `email`\nFROM `spark_catalog`.`local_gold`.`dim_customer`",
    );
    const west = roleNamed(policy, profile, 'store_managers_west');
    expect(previewViewQuery(profile, policy, west, 'gold', 'fact_sales', ['store_sk'])).toBe(
      "SELECT `store_sk`\nFROM `spark_catalog`.`local_gold`.`fact_sales`\nWHERE `store_sk` IN (SELECT l.`store_sk` FROM `spark_catalog`.`local_gold`.`dim_store` AS l WHERE l.`region` = 'west')",
    );
    expect(asRole('select * from gold.fact_sales f join `local_gold`.dim_store s using (store_sk)', profile, west)).toBe(
      'select * from `local_gold__store_managers_west`.fact_sales f join `local_gold__store_managers_west`.dim_store s using (store_sk)',
    );
  });

  it('builds a group once, and on a policy change drops the views it no longer grants', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-preview-'));
    const engine = scriptedPreviewEngine();
    const [analysts] = policyRoles(policy, 'local').filter((r) => r.name === 'analysts');
    expect(await refreshPreview(engine, home, profile, policy, () => undefined, {}, [analysts!])).toBe(4);
    expect(engine.seen.filter((s) => s.startsWith('CREATE'))).toEqual([
      'CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`local_silver__analysts`',
      'CREATE SCHEMA IF NOT EXISTS `spark_catalog`.`local_gold__analysts`',
      expect.stringMatching(/^CREATE OR REPLACE VIEW `spark_catalog`\.`local_gold__analysts`\.`dim_customer` AS\n/),
      expect.stringMatching(/^CREATE OR REPLACE VIEW `spark_catalog`\.`local_gold__analysts`\.`fact_sales` AS\n/),
    ]);
    expect(await refreshPreview(engine, home, profile, policy, () => undefined, {}, [analysts!])).toBe(0);

    // Analysts lose the gold schema's SELECT and keep dim_customer only.
    const text = readFileSync(join(REPO_ROOT, 'governance', 'policy.yaml'), 'utf8').replace(
      '  - on: schema gold\n    privileges: [USE SCHEMA, SELECT]\n    to: [data_engineers, analysts]',
      '  - on: schema gold\n    privileges: [USE SCHEMA, SELECT]\n    to: [data_engineers]\n  - on: schema gold\n    privileges: [USE SCHEMA]\n    to: [analysts]\n  - on: table gold.dim_customer\n    privileges: [SELECT]\n    to: [analysts]',
    );
    const narrower = parsePolicy(text, 'narrower.yaml');
    engine.seen.length = 0;
    await refreshPreview(engine, home, profile, narrower, () => undefined, {}, [analysts!]);
    expect(engine.seen).toContain('DROP VIEW IF EXISTS `spark_catalog`.`local_gold__analysts`.`fact_sales`');
    expect(engine.seen.some((s) => s.startsWith('CREATE OR REPLACE VIEW `spark_catalog`.`local_gold__analysts`.`fact_sales`'))).toBe(false);
  });
});
