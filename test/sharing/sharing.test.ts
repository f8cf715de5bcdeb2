import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { readCatalog, sharingLayout } from '../../src/services/sharing/index.js';
import { signFileUrl, signingKey } from '../../src/services/sharing/signedUrls.js';
import { runCli } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { REPO_ROOT, TEST_HOME } from '../support/paths.js';

const run = promisify(execFile);
const PYTHON = join(REPO_ROOT, 'test', '.work', 'venv-sharing', 'bin', 'python');
const PARTNER = join(REPO_ROOT, 'test', 'sharing', 'partner.py');
const layout = sharingLayout(TEST_HOME);

/** A small gold-like fact table and its history, in a schema of its own that the suite drops afterwards. */
const SCHEMA = `sharing_t${Date.now()}`;
const SHARE = 'retail_partners';
const EU_SHARE = 'eu_partners';

interface PartnerAnswer {
  rows?: Array<Array<string | null>>;
  columns?: string[];
  error?: string;
  status?: number;
}

async function partner(recipient: string, ...args: string[]): Promise<PartnerAnswer> {
  const { stdout } = await run(PYTHON, [PARTNER, join(layout.profilesDir, `${recipient}.share`), ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as PartnerAnswer;
}

async function lhctl(...args: string[]): Promise<string> {
  const result = await runCli([...args, '--yes']);
  if (result.code !== 0) throw new Error(`lhctl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The engine's rows as text, the way partner.py prints the connector's. */
async function engineRows(engine: SqlEngine, table: string, columns: string[], version?: number, where?: string): Promise<Array<Array<string | null>>> {
  const select = columns.map((c) => `CAST(${c} AS STRING)`).join(', ');
  const asOf = version === undefined ? '' : ` VERSION AS OF ${version}`;
  const { rows } = await queryRows(engine, `SELECT ${select} FROM spark_catalog.${SCHEMA}.${table}${asOf}${where ? ` WHERE ${where}` : ''}`);
  return rows.map((row) => row.map((v) => (v === null ? null : String(v))));
}

function bearerToken(recipient: string): string {
  return (JSON.parse(readFileSync(join(layout.profilesDir, `${recipient}.share`), 'utf8')) as { bearerToken: string }).bearerToken;
}

const sorted = (rows: Array<Array<string | null>>) => [...rows].sort((a, b) => Number(a[0]) - Number(b[0]));
const SALES_COLUMNS = ['sale_id', 'store_id', 'region', 'quantity', 'amount', 'sold_on', 'sold_at'];

describe('Delta Sharing on the local env, read by the official Python connector', { timeout: 180_000 }, () => {
  let engine: SqlEngine;
  let port: number;

  beforeAll(async () => {
    execFileSync(join(REPO_ROOT, 'test', 'sharing', 'setup-python.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
    await runCli(['sharing', 'stop']);
    rmSync(layout.dir, { recursive: true, force: true });
    engine = await sharedEngine();
    const sql = (text: string) => executeStatement(engine, text);
    await sql(`CREATE SCHEMA spark_catalog.${SCHEMA}`);
    // A checkpoint every 2 commits, so the server reads checkpoint Parquet as well as JSON commits.
    const regions = "CASE id % 3 WHEN 0 THEN 'EU' WHEN 1 THEN 'US' ELSE 'APAC' END";
    await sql(
      `CREATE TABLE spark_catalog.${SCHEMA}.fact_sales USING delta PARTITIONED BY (region)
       TBLPROPERTIES (delta.enableChangeDataFeed = true, delta.enableDeletionVectors = false, delta.checkpointInterval = 2)
       AS SELECT id AS sale_id, CAST(id % 7 AS INT) AS store_id, ${regions} AS region, CAST(id % 5 + 1 AS INT) AS quantity, CAST(id * 1.25 AS DECIMAL(10,2)) AS amount,
         date_add(DATE'2026-01-01', CAST(id % 30 AS INT)) AS sold_on, timestamp_seconds(1767225600 + id * 3600) AS sold_at FROM range(300)`,
    ); // v0
    await sql(`UPDATE spark_catalog.${SCHEMA}.fact_sales SET amount = amount + 100 WHERE region = 'EU' AND sale_id < 60`); // v1
    await sql(`DELETE FROM spark_catalog.${SCHEMA}.fact_sales WHERE sale_id >= 290`); // v2
    // Deletion vectors: what Delta 4 gold tables use; the parquet format cannot carry them.
    await sql(
      `CREATE TABLE spark_catalog.${SCHEMA}.dim_store USING delta TBLPROPERTIES (delta.enableDeletionVectors = true)
       AS SELECT CAST(id AS INT) AS store_id, concat('store ', id) AS name FROM range(200)`,
    );
    await sql(`DELETE FROM spark_catalog.${SCHEMA}.dim_store WHERE store_id % 10 = 0`);

    await lhctl('shares', 'create', SHARE, '--comment', 'partners');
    await lhctl('shares', 'add-table', SHARE, `${SCHEMA}.fact_sales`, '--history', '--as', 'sales.fact_sales');
    await lhctl('shares', 'add-table', SHARE, `${SCHEMA}.dim_store`, '--as', 'sales.dim_store');
    await lhctl('recipients', 'create', 'acme');
    await lhctl('shares', 'grant', SHARE, 'acme');
    await lhctl('shares', 'create', EU_SHARE);
    await lhctl('shares', 'add-table', EU_SHARE, `${SCHEMA}.fact_sales`, '--partition', 'region=EU', '--as', 'sales.fact_sales_eu');
    // Without --yes the grant asks first, saying what it would expose.
    const unconfirmed = await runCli(['shares', 'grant', EU_SHARE, 'acme']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`let recipient acme read share ${EU_SHARE}: sales.fact_sales_eu (current version, rows where region=EU)`);
    await lhctl('shares', 'grant', EU_SHARE, 'acme');
    await lhctl('recipients', 'create', 'stranger');
    const served = JSON.parse(await lhctl('sharing', 'serve', '--output', 'json')) as { state: string; endpoint: string };
    expect(served.state).toBe('running');
    port = Number(new URL(served.endpoint).port);
  });

  afterAll(async () => {
    await runCli(['sharing', 'stop']);
    rmSync(layout.dir, { recursive: true, force: true });
    await executeStatement(engine, `DROP SCHEMA IF EXISTS spark_catalog.${SCHEMA} CASCADE`);
    await engine.close();
  });

  it('writes the recipient a profile file (mode 600) and keeps only a hash of its token', async () => {
    const profileFile = join(layout.profilesDir, 'acme.share');
    const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as { shareCredentialsVersion: number; endpoint: string; bearerToken: string; expirationTime: string };
    expect(profile).toMatchObject({ shareCredentialsVersion: 1, endpoint: `http://127.0.0.1:${port}/delta-sharing` });
    expect(statSync(profileFile).mode & 0o777).toBe(0o600);
    expect(statSync(layout.catalogFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(layout.catalogFile, 'utf8')).not.toContain(profile.bearerToken);
    const shown = await lhctl('recipients', 'show', 'acme', '--output', 'json');
    expect(shown).toContain(profileFile);
    expect(shown).not.toContain(profile.bearerToken);
  });

  it('lists the tables of the share to its recipient, and nothing to a recipient without a grant', async () => {
    expect((await partner('acme', 'tables')).rows).toEqual([
      [SHARE, 'sales', 'fact_sales'],
      [SHARE, 'sales', 'dim_store'],
      [EU_SHARE, 'sales', 'fact_sales_eu'],
    ]);
    expect((await partner('stranger', 'tables')).rows).toEqual([]);
    const refused = await partner('stranger', 'load', `${SHARE}.sales.fact_sales`);
    expect(refused.status).toBe(404);
  });

  it('loads the shared fact table equal to the engine, row for row, and an older version of its history', async () => {
    const loaded = await partner('acme', 'load', `${SHARE}.sales.fact_sales`);
    expect(loaded.columns).toEqual(SALES_COLUMNS);
    expect(sorted(loaded.rows!).map((r) => r.slice(0, 6))).toEqual(sorted(await engineRows(engine, 'fact_sales', SALES_COLUMNS.slice(0, 6))));
    expect(loaded.rows).toHaveLength(290);

    const first = await partner('acme', 'load', `${SHARE}.sales.fact_sales`, '0');
    expect(first.rows).toHaveLength(300);
    expect(sorted(first.rows!).map((r) => r.slice(0, 6))).toEqual(sorted(await engineRows(engine, 'fact_sales', SALES_COLUMNS.slice(0, 6), 0)));
  });

  it('serves only the partitions a share names', async () => {
    const eu = await partner('acme', 'load', `${EU_SHARE}.sales.fact_sales_eu`);
    expect(sorted(eu.rows!).map((r) => r.slice(0, 6))).toEqual(sorted(await engineRows(engine, 'fact_sales', SALES_COLUMNS.slice(0, 6), undefined, "region = 'EU'")));
    expect(new Set(eu.rows!.map((r) => r[2]))).toEqual(new Set(['EU']));
  });

  it('reads the changes between two versions through the change data feed', async () => {
    const changes = await partner('acme', 'changes', `${SHARE}.sales.fact_sales`, '1', '2');
    const { rows: expected } = await queryRows(
      engine,
      `SELECT CAST(sale_id AS STRING), CAST(amount AS STRING), _change_type, CAST(_commit_version AS STRING) FROM table_changes('spark_catalog.${SCHEMA}.fact_sales', 1, 2)`,
    );
    const columns = changes.columns!;
    const pick = (row: Array<string | null>) => ['sale_id', 'amount', '_change_type', '_commit_version'].map((c) => row[columns.indexOf(c)]);
    const key = (r: Array<string | number | null | unknown>) => r.map(String).join('|');
    expect(changes.rows!.map(pick).map(key).sort()).toEqual(expected.map(key).sort());
    expect(new Set(changes.rows!.map((r) => r[columns.indexOf('_change_type')]))).toEqual(new Set(['update_preimage', 'update_postimage', 'delete']));
  });

  it('refuses a version with deletion vectors, saying how to purge them, and serves the table once they are', async () => {
    const refused = await partner('acme', 'load', `${SHARE}.sales.dim_store`);
    expect(refused.status).toBe(400);
    // The connector's error carries the server's answer (pretty-printed, so the message may wrap; the code does not).
    expect(refused.error).toMatch(/^400 Client Error[\s\S]*Response from server[\s\S]*'errorCode': 'INVALID_PARAMETER_VALUE'/);
    const query = await fetch(`http://127.0.0.1:${port}/delta-sharing/shares/${SHARE}/schemas/sales/tables/dim_store/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearerToken('acme')}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await query.json()) as { message: string }).message).toMatch(/deletion vectors on \d+ file\(s\) at version 1.*REORG TABLE/);

    await executeStatement(engine, `REORG TABLE spark_catalog.${SCHEMA}.dim_store APPLY (PURGE)`);
    const loaded = await partner('acme', 'load', `${SHARE}.sales.dim_store`);
    expect(sorted(loaded.rows!)).toEqual(sorted(await engineRows(engine, 'dim_store', ['store_id', 'name'])));
    expect(loaded.rows).toHaveLength(180);
  });

  it('refuses an older version of a table shared without its history', async () => {
    const refused = await partner('acme', 'load', `${SHARE}.sales.dim_store`, '0');
    expect(refused.status).toBe(403);
  });

  it('refuses tampered, expired and out-of-table file URLs', async () => {
    const token = bearerToken('acme');
    const endpoint = `http://127.0.0.1:${port}/delta-sharing`;
    const query = await fetch(`${endpoint}/shares/${SHARE}/schemas/sales/tables/fact_sales/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(query.headers.get('delta-table-version')).toBe('2');
    const lines = (await query.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file?: { url: string; size: number } });
    const file = lines.find((l) => l.file)!.file!;
    const head = await fetch(file.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(file.size);
    const range = await fetch(file.url, { headers: { range: 'bytes=0-3' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).toString('latin1')).toBe('PAR1');

    const tampered = new URL(file.url);
    tampered.searchParams.set('e', String(Number(tampered.searchParams.get('e')) + 60_000));
    expect((await fetch(tampered)).status).toBe(403);

    // Signed with the server's own key, yet refused: expired, or outside the table's folder.
    const key = signingKey(layout);
    const tableId = readCatalog(layout).shares[0]!.tables[0]!.id;
    const base = `http://127.0.0.1:${port}`;
    const expired = signFileUrl(key, base, { tableId, path: new URL(file.url).pathname.split('/').slice(3).map(decodeURIComponent).join('/'), recipient: 'acme', expires: Date.now() - 1000 });
    expect((await fetch(expired)).status).toBe(403);
    // Slashes encoded inside one segment, so no client folds the dot segments away before the server sees them.
    const outside = signFileUrl(key, base, { tableId, path: '../../../../catalog.json', recipient: 'acme', expires: Date.now() + 60_000 }).replace(
      '/../../../../catalog.json',
      '/..%2F..%2F..%2F..%2Fcatalog.json',
    );
    const escaped = await fetch(outside);
    expect(escaped.status).toBe(403);
    expect(await escaped.text()).not.toContain('recipients');
    const log = signFileUrl(key, base, { tableId, path: '_delta_log/00000000000000000000.json', recipient: 'acme', expires: Date.now() + 60_000 });
    expect((await fetch(log)).status).toBe(403);

    const noToken = await fetch(`${endpoint}/shares`);
    expect(noToken.status).toBe(401);
  });

  it('refuses a revoked token and an expired one', async () => {
    await lhctl('recipients', 'create', 'shortlived', '--token-lifetime', '4s');
    const expires = Date.now() + 4000;
    await lhctl('shares', 'grant', SHARE, 'shortlived');
    const shares = await fetch(`http://127.0.0.1:${port}/delta-sharing/shares`, { headers: { authorization: `Bearer ${bearerToken('shortlived')}` } });
    expect(shares.status).toBe(200);
    await sleep(Math.max(0, expires - Date.now()) + 200);
    expect((await partner('shortlived', 'tables')).status).toBe(401);

    await lhctl('recipients', 'create', 'leaver');
    await lhctl('shares', 'grant', SHARE, 'leaver');
    expect((await partner('leaver', 'tables')).rows).toHaveLength(2);
    await lhctl('recipients', 'revoke', 'leaver');
    expect((await partner('leaver', 'tables')).status).toBe(401);
  });

  it('shows exposure and status, audits every request without the token, and drops a removed table at once', async () => {
    const exposure = JSON.parse(await lhctl('shares', 'exposure', 'acme', '--output', 'json')) as unknown;
    expect(JSON.stringify(exposure)).toContain('sales.fact_sales');
    const status = JSON.parse(await lhctl('engine', 'status', '--output', 'json')) as { sharing_server: string };
    expect(status.sharing_server).toBe(`running on http://127.0.0.1:${port}/delta-sharing`);

    await lhctl('shares', 'remove-table', SHARE, 'sales.dim_store');
    expect((await partner('acme', 'tables')).rows).toEqual([
      [SHARE, 'sales', 'fact_sales'],
      [EU_SHARE, 'sales', 'fact_sales_eu'],
    ]);
    expect((await partner('acme', 'load', `${SHARE}.sales.dim_store`)).status).toBe(404);

    const unknown = await runCli(['shares', 'remove-table', SHARE, 'fact_sale']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('sales.fact_sales');

    const token = bearerToken('acme');
    const audit = readFileSync(join(TEST_HOME, 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain(token);
    const served = audit
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; recipient?: string; object?: string; version?: number; files?: number; status?: number })
      .filter((e) => e.source === 'sharing');
    expect(served).toContainEqual(expect.objectContaining({ recipient: 'acme', object: `${SHARE}.sales.fact_sales`, version: 0, files: expect.any(Number), status: 200 }));
    expect(served).toContainEqual(expect.objectContaining({ recipient: 'stranger', status: 404 }));
  });
});
