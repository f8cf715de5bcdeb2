/**
 * Contract tests against a loopback fake workspace (not a real Databricks workspace): the real `lhctl`
 * process deploys a Databricks env whose profile names a Kafka topic and the orders database, and the
 * fake, which checks every call against the documented Jobs and Workspace shapes, records what it sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAFKA_BRONZE_COLUMNS } from '../../src/pipelines/streams.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';
import { cliHomeWithDatabricksProfile } from './support/fixtures.js';
import { startContractWorkspace, type ContractWorkspace } from './support/contractWorkspace.js';

const ENV = 'dblive';
const DIR = `/Shared/lhctl/${ENV}`;
/** Set in lhctl's environment as the orders database's password: it must reach the workspace nowhere. */
const DB_PASSWORD = 'orders-db-secret-7f3a';

let workspace: ContractWorkspace;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  workspace = await startContractWorkspace();
  const cli = cliHomeWithDatabricksProfile(ENV, {
    schemaPrefix: ENV,
    extraYaml: [
      'sources:',
      '  kafka:',
      '    bootstrap_servers: broker1.example.com:9092,broker2.example.com:9092',
      '    topic: retail.pos.sales_transactions',
      '    node_type_id: i3.xlarge',
      '  orders_db:',
      '    url: jdbc:postgresql://orders.example.com:5432/orders',
      '    password_env: ORDERS_DB_PASSWORD',
      '    tables: [customers, inventory, orders]',
      '    federated_catalog: orders_fed',
    ],
  });
  env = { ...cli.env, DATABRICKS_HOST: workspace.server.url, ORDERS_DB_PASSWORD: DB_PASSWORD };
});

afterAll(async () => {
  await workspace?.server.close();
});

type Job = Record<string, unknown> & { tasks: Array<Record<string, unknown>> };

function job(name: string): Job {
  const found = [...workspace.jobs.jobs.values()].find((j) => j.settings['name'] === name);
  if (!found) throw new Error(`no job ${name} in the fake workspace`);
  return found.settings as Job;
}

describe('deploy of live sources to Databricks (contract test against a loopback fake workspace)', () => {
  it('--plan lists the stream script and the continuous stream job as created, and writes nothing', async () => {
    const result = await runCli(['deploy', '--env', ENV, '--plan', '-o', 'json'], { env });
    // No error; the governance part of the plan may warn that this fake workspace has no SQL warehouse.
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<{ kind: string; object: string; action: string }>;
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'file', object: `${DIR}/streams/kafka_to_bronze.py`, action: 'create' }));
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'job', object: 'retail_sales_stream', action: 'create' }));
    expect(workspace.server.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  }, 120_000);

  it('the real lhctl uploads the stream script, creates the continuous job and an ingestion job pulling through the federated catalog', async () => {
    const result = await runCli(['deploy', '--env', ENV], { env });
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(workspace.server.violations).toEqual([]);

    // (a) The script, imported as a workspace file byte for byte.
    const scriptImport = workspace.server.calls.find((c) => c.path === '/api/2.0/workspace/import' && (c.body as { path: string }).path === `${DIR}/streams/kafka_to_bronze.py`);
    expect(scriptImport?.body).toMatchObject({ format: 'AUTO', overwrite: true });
    expect(workspace.jobs.files.get(`${DIR}/streams/kafka_to_bronze.py`)).toBe(readFileSync(join(REPO_ROOT, 'streams', 'kafka_to_bronze.py'), 'utf8'));

    // (b) The continuous job: one Python task on its job cluster, the query's settings as parameters.
    const stream = job('retail_sales_stream');
    expect(stream['continuous']).toEqual({ pause_status: 'PAUSED' });
    expect(stream['schedule']).toBeUndefined();
    expect(stream['max_concurrent_runs']).toBe(1);
    expect(stream['job_clusters']).toEqual([
      { job_cluster_key: 'sales_stream', new_cluster: expect.objectContaining({ node_type_id: 'i3.xlarge', num_workers: 1, data_security_mode: 'USER_ISOLATION' }) },
    ]);
    expect(stream.tasks).toHaveLength(1);
    const task = stream.tasks[0]!;
    expect(task).toMatchObject({ task_key: 'stream_sales_transactions', job_cluster_key: 'sales_stream' });
    const python = task['spark_python_task'] as { python_file: string; source: string; parameters: string[] };
    expect(python.python_file).toBe(`${DIR}/streams/kafka_to_bronze.py`);
    expect(python.source).toBe('WORKSPACE');
    const param = (name: string): string => python.parameters[python.parameters.indexOf(name) + 1]!;
    expect(param('--bootstrap-servers')).toBe('broker1.example.com:9092,broker2.example.com:9092');
    expect(param('--topic')).toBe('retail.pos.sales_transactions');
    expect(param('--table')).toBe(`\`retail_datalake\`.\`${ENV}_bronze\`.\`sales_transactions\``);
    expect(param('--checkpoint')).toBe(`/Volumes/retail_datalake/${ENV}_bronze/landing/_checkpoints/${ENV}_bronze.sales_transactions`);
    expect(param('--trigger-interval')).toBe('10 seconds');
    expect(JSON.parse(param('--columns'))).toEqual(KAFKA_BRONZE_COLUMNS);
    expect(param('--create-table')).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS \`retail_datalake\`\\.\`${ENV}_bronze\`\\.sales_transactions \\(`));

    // (c) The ingestion job: no stream task; the orders database's tables on their jdbc_* SQL files.
    const ingest = job('retail_ingestion_pipeline');
    const keys = ingest.tasks.map((t) => t['task_key']);
    expect(keys).not.toContain('stream_sales_transactions');
    expect(keys).toEqual(expect.arrayContaining(['ingest_customers', 'ingest_inventory', 'ingest_orders', 'ingest_products', 'ingest_stores']));
    for (const source of ['customers', 'inventory', 'orders']) {
      const path = `${DIR}/sql/bronze/jdbc_${source}.sql`;
      expect(ingest.tasks.find((t) => t['task_key'] === `ingest_${source}`)!['sql_task']).toMatchObject({ file: { path, source: 'WORKSPACE' } });
      const text = workspace.jobs.files.get(path)!;
      expect(text).toContain(`\`orders_fed\`.\`public\`.\`${source}\``);
      expect(text).not.toMatch(/password/i);
    }
    expect(workspace.jobs.files.has(`${DIR}/sql/bronze/stream_sales_transactions.sql`)).toBe(false);
    // The password lhctl could read from its environment went nowhere: not in a file, a job or any call.
    expect(JSON.stringify(workspace.server.calls)).not.toContain(DB_PASSWORD);
    expect(JSON.stringify(workspace.server.calls)).not.toContain(Buffer.from(DB_PASSWORD).toString('base64'));
  }, 120_000);

  it('a second deploy finds the env up to date: the continuous job shows no drift', async () => {
    const writes = (): number => workspace.server.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    const result = await runCli(['deploy', '--env', ENV], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('up to date');
    expect(writes()).toBe(before);
  }, 120_000);
});
