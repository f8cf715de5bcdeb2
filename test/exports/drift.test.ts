/**
 * `lhctl drift` through the real binary: two Databricks envs, each on its own loopback workspace
 * (Jobs, Workspace files and Unity Catalog tables as the REST reference documents them), deployed
 * by `lhctl deploy`; then one task and one column drift in one of them.
 */
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderForWorkspace } from '../../src/commands/deploy.js';
import { bundledState } from '../../src/ops/drift.js';
import { parseProfile, type Profile } from '../../src/profiles/profile.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { FAKE_TOKEN } from '../databricks/support/fixtures.js';
import { jobsRoutes, newJobsState, type JobsState } from '../databricks/support/jobsContract.js';
import { startRestServer, type RestServer } from '../databricks/support/restServer.js';
import { tablesRoutes, type ColumnSpec, type TablesState } from './support/tablesContract.js';

interface Workspace {
  server: RestServer;
  jobs: JobsState;
  tables: TablesState;
}

async function startWorkspace(): Promise<Workspace> {
  const jobs = newJobsState();
  const tables: TablesState = new Map();
  const server = await startRestServer({ token: FAKE_TOKEN, routes: { ...jobsRoutes(jobs), ...tablesRoutes(tables) } });
  return { server, jobs, tables };
}

function profileText(name: string): string {
  return [
    `name: ${name}`,
    'engine: databricks',
    'catalog: retail_datalake',
    'schemas:',
    ...['bronze', 'silver', 'gold'].map((layer) => `  ${layer}: ${name}_${layer}`),
    'protected: false',
    'databricks:',
    `  auth_profile: retail-${name}`,
    `  warehouse_http_path: /sql/1.0/warehouses/${name}-warehouse`,
    `  landing: /Volumes/retail_datalake/${name}_bronze/landing`,
    `  workspace_dir: /Shared/lhctl/${name}`,
    '',
  ].join('\n');
}

/** The tables the env's SQL creates, as Unity Catalog would list them once the pipelines ran. */
function seedTables(workspace: Workspace, profile: Profile): void {
  for (const table of bundledState(profile, renderForWorkspace).objects.filter((o) => o.kind === 'table')) {
    const [layer, name] = table.name.split('.') as ['bronze' | 'silver' | 'gold', string];
    const key = `${profile.catalog}.${profile.schemas[layer]}`;
    if (!workspace.tables.has(key)) workspace.tables.set(key, new Map());
    workspace.tables.get(key)!.set(name, structuredClone(table.value as ColumnSpec[]));
  }
}

const names = ['alpha', 'beta'] as const;
const workspaces: Workspace[] = [];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const profilesDir = mkdtempSync(join(tmpdir(), 'lhctl-profiles-'));
  for (const file of readdirSync(join(REPO_ROOT, 'profiles'))) copyFileSync(join(REPO_ROOT, 'profiles', file), join(profilesDir, file));
  const config: string[] = [];
  for (const name of names) {
    const workspace = await startWorkspace();
    workspaces.push(workspace);
    writeFileSync(join(profilesDir, `${name}.yaml`), profileText(name));
    config.push(`[retail-${name}]`, `host = ${workspace.server.url}`, `token = ${FAKE_TOKEN}`, '');
    seedTables(workspace, parseProfile(profileText(name), `${name}.yaml`));
  }
  const configFile = join(profilesDir, 'databrickscfg');
  writeFileSync(configFile, config.join('\n'));
  // Only the config file speaks for credentials: nothing from the machine's environment.
  env = {
    LHCTL_PROFILES_DIR: profilesDir,
    DATABRICKS_CONFIG_FILE: configFile,
    DATABRICKS_HOST: '',
    DATABRICKS_TOKEN: '',
    DATABRICKS_CLIENT_ID: '',
    DATABRICKS_CLIENT_SECRET: '',
    DATABRICKS_CONFIG_PROFILE: '',
  };
  for (const name of names) {
    const deployed = await runCli(['deploy', '--env', name, '--yes'], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
  }
});

afterAll(async () => {
  for (const workspace of workspaces) await workspace.server.close();
});

type Row = Record<string, string>;

async function drift(args: string[]): Promise<Row[]> {
  const result = await runCli(['drift', ...args, '--output', 'json'], { env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('lhctl drift', () => {
  it('reads both envs from their workspaces and finds nothing between two fresh deploys', async () => {
    const rows = await drift(['--envs', 'alpha,beta']);
    expect(rows[0]).toEqual({ kind: 'env', object: 'state read from', alpha: 'deployed', beta: 'deployed' });
    const kinds = new Set(rows.slice(1).map((r) => r['kind']));
    expect([...kinds].sort()).toEqual(['job', 'sql', 'table', 'task']);
    expect(rows.slice(1).filter((r) => r['beta'] !== 'equal' || r['alpha'] !== 'baseline')).toEqual([]);
    expect(workspaces.flatMap((w) => w.server.violations)).toEqual([]);
  });

  it('reports exactly the task and the column that differ', async () => {
    const [, beta] = workspaces as [Workspace, Workspace];
    const transform = [...beta.jobs.jobs.values()].find((j) => j.settings['name'] === 'retail_transformation_pipeline')!;
    transform.settings['tasks'] = (transform.settings['tasks'] as Array<{ task_key: string }>).filter((t) => t.task_key !== 'gold_agg_daily_sales');
    const factSales = beta.tables.get('retail_datalake.beta_gold')!.get('fact_sales')!;
    factSales.find((c) => c.name === 'quantity')!.type = 'bigint';

    const rows = await drift(['--envs', 'alpha,beta']);
    const drifted = rows.slice(1).filter((r) => r['beta'] !== 'equal');
    expect(drifted).toEqual([
      { kind: 'task', object: 'retail_transformation_pipeline.gold_agg_daily_sales', alpha: 'baseline', beta: 'missing' },
      { kind: 'table', object: 'gold.fact_sales', alpha: 'baseline', beta: 'differs: column quantity: int in alpha, bigint here' },
    ]);
    const table = await runCli(['drift', '--envs', 'alpha,beta'], { env });
    expect(table.stdout).toContain('drift against alpha');
  });

  it('compares the bundled definitions of envs it has no credentials for, and says so', async () => {
    const rows = await drift(['--envs', 'dev,qa,prod']);
    expect(rows[0]).toEqual({ kind: 'env', object: 'state read from', dev: 'bundled (no credentials)', qa: 'bundled (no credentials)', prod: 'bundled (no credentials)' });
    const drifted = Object.fromEntries(
      rows
        .slice(1)
        .filter((r) => r['qa'] !== 'equal' || r['prod'] !== 'equal')
        .map((r) => [r['object'], [r['qa'], r['prod']]]),
    );
    // The profiles differ where they mean to: who is mailed, and prod's schedules run.
    expect(drifted['retail_transformation_pipeline']).toEqual([
      'differs: failure_emails: [] in dev, ["lakehouse-oncall@example.com"] here',
      'differs: schedule.pause_status: PAUSED in dev, UNPAUSED here; failure_emails: [] in dev, ["lakehouse-oncall@example.com"] here',
    ]);
    expect(Object.keys(drifted).sort()).toEqual(['retail_data_quality_checks', 'retail_ingestion_pipeline', 'retail_transformation_pipeline']);
  });
});
