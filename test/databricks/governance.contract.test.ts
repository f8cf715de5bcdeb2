/**
 * Contract tests against a loopback fake warehouse (not a real Databricks workspace): the real `lhctl`
 * process plans and applies the access policy (grants, column masks, row filters) on a Databricks env.
 * The fake keeps Unity Catalog's governance state, answers the information_schema views (privileges,
 * functions, column masks, row filters),
 * and accepts only statements in Databricks SQL syntax, so a plan that applies cleanly and then comes back
 * empty is one the fake's grammar and state both agree with.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { thrift } from '@databricks/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommandWith } from '../../src/commands/deploy.js';
import { DatabricksSqlEngine } from '../../src/engines/databricks/warehouseEngine.js';
import { GOVERNED_LAYERS } from '../../src/ops/governance/policy.js';
import { bundledTables } from '../../src/ops/governance/bundledTables.js';
import { resolveDatabricksAuth } from '../../src/profiles/databricksAuth.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { commandContext, startContractWorkspace, tableRows } from './support/contractWorkspace.js';
import { cliHomeWithDatabricksProfile, databricksProfile, FAKE_TOKEN, loopbackSettings } from './support/fixtures.js';
import { answerGovernance, newGovernanceCatalog, type GovernanceCatalog } from './support/governanceCatalog.js';
import type { ScriptedTable } from './support/thriftHandler.js';
import { startThriftWarehouse, type ThriftWarehouse } from './support/thriftWarehouse.js';

const GOLDEN = join(REPO_ROOT, 'test', 'databricks', 'golden', 'governance-plan-change.txt');
const POLICY = readFileSync(join(REPO_ROOT, 'governance', 'policy.yaml'), 'utf8');
/** A reviewed change: partners may read dim_store, phones are redacted, silver streets lose their mask, a new region. */
const CHANGED_POLICY = POLICY.replace('    to: [store_managers]\n  - on: table gold.dim_date', '    to: [store_managers, partners]\n  - on: table gold.dim_date')
  .replace('  - column: gold.dim_customer.phone\n    rule: phone', '  - column: gold.dim_customer.phone\n    rule: redact')
  .replace('  - column: silver.customers.street\n    rule: street\n    unmasked_for: [data_engineers]\n', '')
  .replace('regions: [central, east, south, west]', 'regions: [central, east, north, south, west]');

let warehouse: ThriftWarehouse;
let catalog: GovernanceCatalog;
let qa: { home: string; env: NodeJS.ProcessEnv };
let prod: { home: string; env: NodeJS.ProcessEnv };
let changedPolicy: string;

function governedTables(prefix: string): string[] {
  return [...bundledTables().values()].filter((t) => (GOVERNED_LAYERS as readonly string[]).includes(t.layer)).map((t) => `${prefix}_${t.layer}.${t.table}`);
}

function cliEnv(home: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  writeFileSync(join(home, 'ca.pem'), warehouse.caCert);
  return { ...env, NODE_EXTRA_CA_CERTS: join(home, 'ca.pem') };
}

beforeAll(async () => {
  catalog = newGovernanceCatalog('retail_datalake', [...governedTables('qa'), ...governedTables('prod')]);
  // Grants made by hand before lhctl: one to a principal the policy does not manage, one the policy does not hold.
  catalog.grants.add('catalog|retail_datalake|auditors@example.com|USE CATALOG');
  catalog.grants.add('schema|retail_datalake.qa_silver|qa_analysts|SELECT');
  warehouse = await startThriftWarehouse({ token: FAKE_TOKEN, tables: {}, answer: (sql) => answerSystemTables(sql) ?? answerGovernance(catalog, sql) });
  const q = cliHomeWithDatabricksProfile('qa', { schemaPrefix: 'qa', host: warehouse.url, httpPath: warehouse.httpPath });
  qa = { home: q.home, env: cliEnv(q.home, q.env) };
  const p = cliHomeWithDatabricksProfile('prod', { schemaPrefix: 'prod', host: warehouse.url, httpPath: warehouse.httpPath, protected: true });
  prod = { home: p.home, env: cliEnv(p.home, p.env) };
  changedPolicy = join(qa.home, 'changed-policy.yaml');
  writeFileSync(changedPolicy, CHANGED_POLICY);
});

afterAll(async () => {
  await warehouse?.close();
});

const STRING = thrift.TCLIService_types.TTypeId.STRING_TYPE;
const strings = (names: string[], rows: string[][]) => ({ columns: names.map((name) => ({ name, type: STRING })), rows });

/** Unity Catalog's system tables, as a workspace that recorded a few runs of the pipeline would answer. */
function answerSystemTables(sql: string): ScriptedTable | undefined {
  if (/FROM system\.access\.table_lineage WHERE \(target_table_catalog = 'retail_datalake' OR source_table_catalog = 'retail_datalake'\)/.test(sql)) {
    return strings(
      ['source_table_full_name', 'target_table_full_name'],
      [
        ['retail_datalake.qa_bronze.sales_transactions', 'retail_datalake.qa_silver.sales_transactions'],
        ['retail_datalake.qa_silver.sales_transactions', 'retail_datalake.qa_gold.fact_sales'],
        ['retail_datalake.qa_gold.dim_store', 'retail_datalake.qa_gold.fact_sales'],
        ['retail_datalake.qa_gold.fact_sales', 'retail_datalake.qa_gold.agg_daily_sales'],
        ['retail_datalake.qa_gold.fact_sales', 'bi_catalog.marts.weekly_sales'],
      ],
    );
  }
  if (
    /^SELECT event_time, user_identity\.email AS user, action_name, .* FROM system\.access\.audit WHERE service_name = 'unityCatalog' AND .*event_time >= TIMESTAMP '[^']+' AND lower\(action_name\) LIKE '%permissions%' ORDER BY event_time DESC LIMIT 50$/.test(
      sql,
    )
  ) {
    return strings(['event_time', 'user', 'action_name', 'object', 'status'], [['2026-12-03 10:00:00', 'ops@example.com', 'updatePermissions', 'retail_datalake.qa_gold.fact_sales', '200']]);
  }
  return undefined;
}

function statementsOf(stdout: string): Array<{ kind: string; object: string; change: string; sql: string }> {
  return JSON.parse(stdout) as Array<{ kind: string; object: string; change: string; sql: string }>;
}

describe('grants plan and apply on a Databricks env (contract test against a loopback fake warehouse)', () => {
  it('plans the whole policy in Databricks SQL, applies it, and a second plan is empty; hand-made grants to other principals stay', async () => {
    const plan = await runCli(['grants', 'plan', '--env', 'qa', '-o', 'json'], { env: qa.env });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const changes = statementsOf(plan.stdout);
    const sql = changes.map((c) => c.sql);
    expect(sql).toContain('GRANT USE CATALOG ON CATALOG `retail_datalake` TO `qa_analysts`');
    expect(sql).toContain('GRANT USE SCHEMA, SELECT ON SCHEMA `retail_datalake`.`qa_gold` TO `qa_analysts`');
    expect(sql).toContain('GRANT SELECT ON TABLE `retail_datalake`.`qa_gold`.`fact_sales` TO `qa_store_managers_west`');
    expect(sql).toContain('REVOKE SELECT ON SCHEMA `retail_datalake`.`qa_silver` FROM `qa_analysts`');
    expect(sql).toContain('ALTER TABLE `retail_datalake`.`qa_gold`.`dim_customer` ALTER COLUMN `email` SET MASK `retail_datalake`.`qa_gold`.`lhctl_mask_dim_customer_email`');
    expect(sql).toContain('ALTER TABLE `retail_datalake`.`qa_gold`.`fact_sales` SET ROW FILTER `retail_datalake`.`qa_gold`.`lhctl_filter_fact_sales` ON (`store_sk`)');
    const maskFunction = sql.find((s) => s.includes('`lhctl_mask_dim_customer_email`('))!;
    expect(maskFunction).toMatch(
      /^CREATE OR REPLACE FUNCTION `retail_datalake`\.`qa_gold`\.`lhctl_mask_dim_customer_email`\(`value` STRING\)\nRETURNS STRING\nCOMMENT 'lhctl governance policy [0-9a-f]{12}'\nRETURN CASE WHEN is_account_group_member\('qa_data_engineers'\) THEN `value` ELSE regexp_replace\(`value`, '\^\[\^@\]\+', '\*\*\*'\) END$/,
    );
    // Functions exist before a mask or filter names them; revokes come after grants.
    expect(sql.findIndex((s) => s.startsWith('CREATE OR REPLACE FUNCTION'))).toBeLessThan(sql.findIndex((s) => s.includes('SET MASK')));
    expect(sql.findIndex((s) => s.startsWith('GRANT'))).toBeLessThan(sql.findIndex((s) => s.startsWith('REVOKE')));
    expect(warehouse.state.statements.every((s) => /^SELECT .* FROM `retail_datalake`\.information_schema\./.test(s.sql))).toBe(true);

    const apply = await runCli(['grants', 'apply', '--env', 'qa', '-o', 'json'], { env: qa.env });
    expect(apply.code).toBe(0);
    expect(catalog.applied).toEqual(sql);
    expect(catalog.grants).toContain('catalog|retail_datalake|auditors@example.com|USE CATALOG');
    expect(catalog.grants).not.toContain('schema|retail_datalake.qa_silver|qa_analysts|SELECT');
    // Every statement is in the audit log, under the command that sent it.
    const audit = readFileSync(join(qa.home, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { command: string; sql: string[]; outcome: string });
    const applied = audit.find((a) => a.command.startsWith('lhctl grants apply'))!;
    expect(applied.outcome).toBe('ok');
    for (const statement of sql) expect(applied.sql).toContain(statement);

    const again = await runCli(['grants', 'plan', '--env', 'qa'], { env: qa.env });
    expect(again.stdout).toContain('env qa matches');
    expect(again.stdout).toContain('nothing to change');
  });

  it('a reviewed policy change gives exactly the golden plan, and after apply the plan is empty', async () => {
    const plan = await runCli(['grants', 'plan', '--env', 'qa', '--policy', changedPolicy, '-o', 'json'], { env: qa.env });
    expect(plan.code).toBe(0);
    const text = `${statementsOf(plan.stdout)
      .map((c) => `-- ${c.kind} ${c.object}: ${c.change}\n${c.sql};`)
      .join('\n\n')}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, text);
    }
    if (!existsSync(GOLDEN)) throw new Error(`no golden file ${GOLDEN}: run the test with UPDATE_GOLDEN=1 and review the diff`);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));

    const before = catalog.applied.length;
    const apply = await runCli(['grants', 'apply', '--env', 'qa', '--policy', changedPolicy], { env: qa.env });
    expect(apply.code).toBe(0);
    expect(catalog.applied.slice(before)).toEqual(statementsOf(plan.stdout).map((c) => c.sql));
    const again = await runCli(['grants', 'plan', '--env', 'qa', '--policy', changedPolicy], { env: qa.env });
    expect(again.stdout).toContain('nothing to change');
  });

  it('refuses to apply on a protected env that is not armed, sending no change; armed, it applies', async () => {
    const before = catalog.applied.length;
    const refused = await runCli(['grants', 'apply', '--env', 'prod', '--yes'], { env: prod.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: env "prod" is protected and not armed: refused to apply');
    expect(catalog.applied.length).toBe(before);

    expect((await runCli(['arm', '--env', 'prod', '--for', '5m', '--yes'], { env: prod.env })).code).toBe(0);
    const applied = await runCli(['grants', 'apply', '--env', 'prod'], { env: prod.env });
    expect(applied.code).toBe(0);
    expect(catalog.applied.length).toBeGreaterThan(before);
    expect(catalog.applied.slice(before).every((s) => !s.includes('`qa_'))).toBe(true);
  });

  it('deploy --plan lists the governance statements after the jobs and files', async () => {
    const workspace = await startContractWorkspace();
    try {
      const profile = databricksProfile('dev', { httpPath: warehouse.httpPath });
      const settings = loopbackSettings(workspace.server.url);
      const { ctx, ui } = commandContext(settings, { profile });
      catalog.tables = new Set([...catalog.tables, ...governedTables('dev')]);
      const auth = resolveDatabricksAuth(loopbackSettings(warehouse.url), profile);
      ctx.engine = async () => new DatabricksSqlEngine(auth, { catalog: 'retail_datalake', customCaCert: warehouse.caCert });
      const outcome = await deployCommandWith(() => 'SELECT 1;').run(ctx, { positionals: [], options: { plan: true } });
      const rows = tableRows(outcome) as string[][];
      expect(rows.filter((r) => r[0] === 'job').length).toBe(3);
      const governance = rows.filter((r) => ['function', 'mask', 'row filter', 'grant', 'revoke'].includes(r[0]!));
      expect(governance.map((r) => r[3])).toContain('GRANT USE CATALOG ON CATALOG `retail_datalake` TO `dev_analysts`');
      expect(rows.indexOf(governance[0]!)).toBeGreaterThan(rows.findLastIndex((r) => r[0] === 'job'));
      expect(ui.warnings).toContain(`${governance.length} governance statement(s) pending: lhctl grants apply --env dev runs them`);
    } finally {
      await workspace.server.close();
    }
  });

  it("lineage and audit on a Databricks env come from Unity Catalog's system tables, named by layer", async () => {
    const lineage = await runCli(['lineage', 'gold.fact_sales', '--env', 'qa', '--upstream', '--downstream'], { env: qa.env });
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toContain('upstream lineage of gold.fact_sales (system.access.table_lineage of env qa)');
    expect(lineage.stdout).toContain('├─ gold.dim_store');
    expect(lineage.stdout).toContain('└─ silver.sales_transactions');
    expect(lineage.stdout).toContain('   └─ bronze.sales_transactions');
    expect(lineage.stdout).toContain('├─ bi_catalog.marts.weekly_sales');
    expect(lineage.stdout).toContain('└─ gold.agg_daily_sales');

    const audit = await runCli(['audit', '--env', 'qa', '--since', '1h', '--action', 'permissions', '-o', 'json'], { env: qa.env });
    expect(audit.stderr).toBe('');
    const parts = JSON.parse(audit.stdout) as Record<string, unknown[]>;
    expect(parts['system.access.audit on catalog retail_datalake (newest first)']).toEqual([
      { event_time: '2026-12-03 10:00:00', user: 'ops@example.com', action_name: 'updatePermissions', object: 'retail_datalake.qa_gold.fact_sales', status: '200' },
    ]);
  });
});
