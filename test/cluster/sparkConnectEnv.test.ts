import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/engines/local/server.js';
import { queryRecords, type SqlEngine } from '../../src/engines/engine.js';
import { GOLD_TABLES, dropSchemas, pipelineProfile, runJobs } from '../pipeline/support.js';
import { type CliResult, runCli } from '../support/cli.js';
import { sharedEngine, testSettings } from '../support/engine.js';
import { REPO_ROOT, TEST_HOME } from '../support/paths.js';
import { makeCertificates, type RemoteCluster, startRemoteCluster, startTlsProxy, type TestCertificates } from './remoteCluster.js';

/**
 * A Spark Connect cluster as an env: a second Spark Connect server with its own home, port and token stands
 * in for the cluster, reached through `engine: spark-connect` profiles once directly and once through a
 * TLS-terminating proxy with a test CA, all through the real `lhctl` process as an operator runs it.
 */
const SEED = 'cluster-equality';
const SCALE = '0.01';
const TOKEN_ENV = 'LHCTL_TEST_CLUSTER_TOKEN';
const CLUSTER_SCHEMAS = { bronze: 'cluster_bronze', silver: 'cluster_silver', gold: 'cluster_gold' };

/** The CLI's own home: run records and the audit log of these runs, the protocol files linked from the suite's runtime. */
const clientHome = mkdtempSync(join(tmpdir(), 'lhctl-cluster-client-'));
/** The landing both the cluster env and the local reference env read (the "cluster" runs on this machine). */
const referenceHome = mkdtempSync(join(tmpdir(), 'lhctl-cluster-reference-'));
const landing = join(referenceHome, 'local', 'landing');
const profilesDir = mkdtempSync(join(tmpdir(), 'lhctl-cluster-profiles-'));

function clusterProfile(name: string, spark: { url: string; caFile?: string; landing?: string }): void {
  const lines = [
    `name: ${name}`,
    'engine: spark-connect',
    'catalog: spark_catalog',
    'schemas:',
    ...Object.entries(CLUSTER_SCHEMAS).map(([layer, schema]) => `  ${layer}: ${schema}`),
    'spark_connect:',
    `  url: ${spark.url}`,
    `  token_env: ${TOKEN_ENV}`,
    ...(spark.caFile ? [`  ca_file: ${spark.caFile}`] : []),
    `  landing: ${spark.landing ?? landing}`,
  ];
  writeFileSync(join(profilesDir, `${name}.yaml`), `${lines.join('\n')}\n`);
}

describe('a Spark Connect cluster as an env (a second real server, plain and behind TLS)', { timeout: 900_000 }, () => {
  let cluster: RemoteCluster;
  let certificates: TestCertificates;
  let proxy: { port: number; close(): Promise<void> };
  let local: SqlEngine;
  const outputs: string[] = [];
  const processLists: string[] = [];
  const reference = pipelineProfile(`clusterref_${Date.now()}`);

  async function lhctl(args: string[], options: { token?: string; input?: string } = {}): Promise<CliResult> {
    let watching: NodeJS.Timeout | undefined;
    const result = await runCli(args, {
      env: { LHCTL_HOME: clientHome, LHCTL_PROFILES_DIR: profilesDir, [TOKEN_ENV]: options.token ?? cluster.token },
      ...(options.input !== undefined ? { input: options.input } : {}),
      // What `ps` shows while lhctl talks to the cluster, for the check that the token is never there.
      onSpawn: () => {
        const look = () => processLists.push(execFileSync('ps', ['-eww', '-o', 'args='], { encoding: 'utf8' }));
        look();
        watching = setInterval(look, 1000);
      },
    });
    clearInterval(watching);
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  async function ok(args: string[]): Promise<CliResult> {
    const result = await lhctl(args);
    expect(result.code, `lhctl ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  }

  beforeAll(async () => {
    mkdirSync(join(clientHome, 'runtime'), { recursive: true });
    symlinkSync(join(TEST_HOME, 'runtime', 'proto'), join(clientHome, 'runtime', 'proto'));
    for (const file of readdirSync(join(REPO_ROOT, 'profiles'))) copyFileSync(join(REPO_ROOT, 'profiles', file), join(profilesDir, file));
    certificates = makeCertificates();
    [cluster, local] = await Promise.all([startRemoteCluster(), sharedEngine()]);
    proxy = await startTlsProxy(certificates, cluster.port);
    clusterProfile('cluster', { url: `sc://127.0.0.1:${cluster.port}/;user_id=ops` });
    clusterProfile('clustertls', { url: `sc://127.0.0.1:${proxy.port}/;use_ssl=true;user_id=ops`, caFile: certificates.caFile });
    clusterProfile('clusterwrongca', { url: `sc://127.0.0.1:${proxy.port}/;use_ssl=true`, caFile: certificates.otherCaFile });
    clusterProfile('clustergone', { url: `sc://127.0.0.1:${await freePort()}` });
    clusterProfile('clusters3', { url: `sc://127.0.0.1:${cluster.port}`, landing: 's3a://retail-landing/cluster' });
  });

  afterAll(async () => {
    await dropSchemas(local, reference).catch(() => undefined);
    await local?.close();
    await proxy?.close();
    await cluster?.stop();
    for (const dir of [clientHome, referenceHome, profilesDir, certificates?.dir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the env without its token; engine start and data generate into s3a:// say they do not apply', async () => {
    const shown = JSON.parse((await ok(['env', 'show', 'clustertls', '--output', 'json'])).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ engine: 'spark-connect', target: `sc://127.0.0.1:${proxy.port} (TLS)`, credential: `bearer token from $${TOKEN_ENV} (set)`, ca_file: certificates.caFile, landing });
    const start = await lhctl(['engine', 'start', '--env', 'cluster']);
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('`lhctl engine start` does not apply to env cluster');
    const generate = await lhctl(['data', 'generate', '--env', 'clusters3']);
    expect(generate.code).toBe(2);
    expect(generate.stderr).toContain('data generate writes files on this machine, which does not apply to env clusters3: it lands in s3a://retail-landing/cluster');
    const status = JSON.parse((await ok(['engine', 'status', '--env', 'cluster', '--output', 'json'])).stdout) as Record<string, unknown>;
    expect(status).toMatchObject({ state: 'answers', engine: 'spark-connect', spark: '4.2.0', delta: 'yes' });
  });

  it('reads history, travels in time, diffs, reads the change feed and restores on the plain connection', async () => {
    const table = `${CLUSTER_SCHEMAS.silver}.ops_check`;
    await ok([
      'sql',
      `CREATE SCHEMA IF NOT EXISTS ${CLUSTER_SCHEMAS.silver}; CREATE TABLE ${table} (id INT, city STRING) USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true); ` +
        `INSERT INTO ${table} VALUES (1, 'Oslo'), (2, 'Bergen'); UPDATE ${table} SET city = 'Trondheim' WHERE id = 2; DELETE FROM ${table} WHERE id = 1`,
      '--yes',
      '--env',
      'cluster',
    ]);
    const history = JSON.parse((await ok(['history', table, '--env', 'cluster', '--output', 'json'])).stdout) as { version: number; operation: string }[];
    expect(history.map((h) => [Number(h.version), h.operation])).toEqual([
      [3, 'DELETE'],
      [2, 'UPDATE'],
      [1, 'WRITE'],
      [0, 'CREATE TABLE'],
    ]);
    const asOf1 = JSON.parse((await ok(['time-travel', table, '--version', '1', '--env', 'cluster', '--output', 'json'])).stdout) as { id: number; city: string }[];
    expect(asOf1.map((r) => `${r.id} ${r.city}`).sort()).toEqual(['1 Oslo', '2 Bergen']);
    const diff = JSON.parse((await ok(['diff', table, '--from', '1', '--key', 'id', '--env', 'cluster', '--output', 'json'])).stdout) as Record<string, unknown>;
    expect(diff).toMatchObject({ inserted: 0, deleted: 1, updated: 1 });
    const changes = JSON.parse((await ok(['cdf', table, '--from', '2', '--env', 'cluster', '--output', 'json'])).stdout) as { _change_type: string }[];
    expect(changes.map((c) => c._change_type).sort()).toEqual(['delete', 'update_postimage', 'update_preimage']);
    await ok(['restore', table, '--version', '1', '--yes', '--env', 'cluster']);
    const restored = JSON.parse((await ok(['sql', `SELECT id, city FROM ${table} ORDER BY id`, '--env', 'cluster', '--output', 'json'])).stdout) as unknown[];
    expect(restored).toEqual([
      { id: 1, city: 'Oslo' },
      { id: 2, city: 'Bergen' },
    ]);

    // A table without the Change Data Feed is reported, not crashed on.
    await ok(['sql', `CREATE TABLE ${CLUSTER_SCHEMAS.silver}.no_feed (id INT) USING DELTA; INSERT INTO ${CLUSTER_SCHEMAS.silver}.no_feed VALUES (1)`, '--env', 'cluster']);
    const noFeed = await lhctl(['cdf', `${CLUSTER_SCHEMAS.silver}.no_feed`, '--from', '0', '--env', 'cluster']);
    expect(noFeed.code).toBe(1);
    expect(noFeed.stderr).toContain(`the Change Data Feed is off for ${CLUSTER_SCHEMAS.silver}.no_feed`);
  });

  it('answers in the REPL like any env', async () => {
    const repl = await lhctl(['repl', '--env', 'cluster'], { input: 'select 6 * 7 as answer;\n' });
    expect(repl.code, repl.stderr).toBe(0);
    expect(repl.stdout).toMatch(/answer[\s\S]*42/);
  });

  it('fails clearly on a refused token, an untrusted CA and a host that does not answer', async () => {
    const refused = await lhctl(['sql', 'SELECT 1', '--env', 'clustertls'], { token: 'not-the-cluster-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the Spark Connect cluster of env clustertls refused the call: the token did not match');
    expect(refused.stderr).toContain(`$${TOKEN_ENV}`);
    expect(refused.stderr).not.toContain('not-the-cluster-token');

    const untrusted = await lhctl(['sql', 'SELECT 1', '--env', 'clusterwrongca']);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain(`env clusterwrongca: TLS to 127.0.0.1:${proxy.port} failed: its certificate is not signed by the CA in ${certificates.otherCaFile}`);
    expect(untrusted.stderr).toContain('spark_connect.ca_file');

    const gone = await lhctl(['sql', 'SELECT 1', '--env', 'clustergone']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/env clustergone: the Spark Connect cluster at 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/);

    const unset = await runCli(['sql', 'SELECT 1', '--env', 'cluster'], { env: { LHCTL_HOME: clientHome, LHCTL_PROFILES_DIR: profilesDir, [TOKEN_ENV]: '' } });
    expect(unset.stderr).toContain(`env cluster takes its Spark Connect token from $${TOKEN_ENV}, which is not set`);
  });

  it('runs the pipeline end to end through the TLS proxy, and its gold equals the local env on the same seed', async () => {
    await ok(['data', 'generate', '--env', 'clustertls', '--reset', '--seed', SEED, '--scale', SCALE]);
    expect(existsSync(join(landing, '_manifests'))).toBe(true);
    // The reference: the same landed files built by the local env on the suite's engine.
    const localBuild = runJobs(local, reference, { ...testSettings(), home: referenceHome }, ['ingest', 'transform']);
    for (const job of ['ingest', 'transform']) await ok(['run', job, '--env', 'clustertls']);
    await localBuild;

    const fingerprint = (schema: string) =>
      GOLD_TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n, CAST(bit_xor(xxhash64(to_json(struct(*)))) AS STRING) AS x FROM spark_catalog.${schema}.${t}`).join(' UNION ALL ') + ' ORDER BY t';
    const onCluster = JSON.parse((await ok(['sql', fingerprint(CLUSTER_SCHEMAS.gold), '--env', 'clustertls', '--output', 'json'])).stdout) as Record<string, unknown>[];
    const onLocal = await queryRecords(local, fingerprint(reference.schemas.gold));
    expect(onCluster.every((row) => Number(row['n']) > 0)).toBe(true);
    expect(onCluster.map((r) => `${r['t']} ${r['n']} ${r['x']}`)).toEqual(onLocal.map((r) => `${r['t']} ${r['n']} ${r['x']}`));

    // Run records and Delta commit stamps are the local runner's own.
    const runs = JSON.parse((await ok(['runs', '--env', 'clustertls', '--output', 'json'])).stdout) as unknown[];
    expect(runs.length).toBe(2);
  }, 2_400_000);

  it('keeps the token out of every output, the audit log and the process list', () => {
    const audit = readFileSync(join(clientHome, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"env":"clustertls"');
    expect(processLists.length).toBeGreaterThan(0);
    for (const text of [...outputs, audit, ...processLists]) expect(text).not.toContain(cluster.token);
  });
});
