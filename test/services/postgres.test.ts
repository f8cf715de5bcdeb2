import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, EngineNotRunningError } from '../../src/core/errors.js';
import type { BatchManifest } from '../../src/pipelines/generator/manifest.js';
import { csvLine } from '../../src/pipelines/generator/writer.js';
import { landNextBatches } from '../../src/pipelines/landed.js';
import { loadBatchesIntoPostgres } from '../../src/pipelines/ordersDbLoad.js';
import { isProcessAlive } from '../../src/services/daemon.js';
import { columnOfField, jdbcUrl, type OrdersDatabase, ORDERS_DB_TABLES, ordersDatabase, postgresService, queryOrdersDb, type TableLoadResult, updateRows } from '../../src/services/postgres.js';
import { findPostgres } from '../../src/services/postgres/binaries.js';
import { postgresLayout } from '../../src/services/postgres/layout.js';
import { type CliResult, runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The local orders database as an operator runs it (`lhctl services … postgres` in a real process, its own
 * $LHCTL_HOME), loaded with two generated batches the way `data generate --to postgres` loads them.
 */
const HOME = join(REPO_ROOT, 'test', '.work', 'postgres-home');
const LANDING = join(HOME, 'landing');
const host = { home: HOME, javaHome: undefined, env: process.env };
const layout = postgresLayout(HOME);

interface StatusRow {
  name: string;
  state: string;
  address: string | null;
  pid: number | null;
}

function lhctl(...args: string[]): Promise<CliResult> {
  return runCli(args, { env: { LHCTL_HOME: HOME } });
}

async function postgresRow(): Promise<StatusRow> {
  const result = await lhctl('services', 'status', '--output', 'json');
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as StatusRow[]).find((r) => r.name === 'postgres')!;
}

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function refused(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    socket.setTimeout(2000, () => (socket.destroy(), resolve(true)));
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

async function count(db: OrdersDatabase, table: string): Promise<number> {
  return Number((await queryOrdersDb(db, `SELECT count(*)::int AS n FROM ${table}`))[0]!['n']);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

describe('local orders database (PostgreSQL)', () => {
  let db: OrdersDatabase;
  let manifests: BatchManifest[];
  let loaded: TableLoadResult[];

  beforeAll(async () => {
    await postgresService.stop(host);
    rmSync(HOME, { recursive: true, force: true });
  });

  afterAll(async () => {
    await postgresService.stop(host);
  });

  it('starts through `lhctl services start postgres`; lhctl logs in over TCP with its password, and not without', async () => {
    await expect(ordersDatabase(host)).rejects.toBeInstanceOf(EngineNotRunningError);
    const started = performance.now();
    const start = await lhctl('services', 'start', 'postgres');
    expect(start.code, start.stderr).toBe(0);
    process.stderr.write(`[postgres] first start (initdb, bootstrap) in ${Math.round(performance.now() - started)} ms\n`);
    const row = await postgresRow();
    expect(row).toMatchObject({ state: 'running', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    db = await ordersDatabase(host);
    expect(jdbcUrl(db)).toBe(`jdbc:postgresql://127.0.0.1:${db.port}/retail_orders`);
    expect(await queryOrdersDb(db, 'SELECT current_user AS u, current_database() AS d')).toEqual([{ u: 'lhctl', d: 'retail_orders' }]);
    expect(statSync(layout.passwordFile).mode & 0o777).toBe(0o600);
    await expect(queryOrdersDb({ ...db, password: '' }, 'SELECT 1')).rejects.toBeInstanceOf(ConfigError);
    // The server itself asks for the password: psql without one (and never prompting) is refused.
    const psql = spawnSync(join(findPostgres().binDir, 'psql'), ['-w', '-h', db.host, '-p', String(db.port), '-U', db.user, '-d', db.database, '-c', 'SELECT 1'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] },
    });
    expect(psql.status).not.toBe(0);
    expect(psql.stderr).toContain('no password supplied');
    await expect(queryOrdersDb({ ...db, password: `${db.password}x` }, 'SELECT 1')).rejects.toBeInstanceOf(ConfigError);
    // The superuser has no password and no TCP entry: only the socket inside the data folder reaches it.
    await expect(queryOrdersDb({ ...db, user: 'postgres', database: 'postgres', password: 'postgres' }, 'SELECT 1')).rejects.toBeInstanceOf(ConfigError);
  }, 120_000);

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && !i.internal && i.family === 'IPv4')
      .map((i) => i!.address);
    for (const ip of external) expect(await refused(ip, db.port)).toBe(true);
    const listening = ['/proc/net/tcp', '/proc/net/tcp6']
      .filter(existsSync)
      .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').slice(1))
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && Number.parseInt(f[1]!.split(':')[1]!, 16) === db.port)
      .map((f) => f[1]!.split(':')[0]);
    expect(listening).toEqual(['0100007F']);
  });

  it('loads two generated batches: every line that can be a row is one, dirt included; changed customers are updates with a later updated_at', async () => {
    manifests = await landNextBatches({ landingDir: LANDING, batches: 2, scale: 0.01, seed: 'orders-db' });
    const started = performance.now();
    loaded = await loadBatchesIntoPostgres(db, LANDING, manifests);
    const seconds = (performance.now() - started) / 1000;
    const rows = loaded.reduce((n, r) => n + r.inserted + r.updated, 0);
    process.stderr.write(`[postgres] loaded ${rows} rows of 2 batches in ${Math.round(seconds * 1000)} ms: ${Math.round(rows / seconds)} rows/s\n`);

    for (const r of loaded) {
      const source = manifests.find((m) => m.batch === r.batch)!.sources[r.table];
      // Every line is accounted for once: a row inserted or updated, or why it is not one.
      expect(r.lines).toBe(source.lines);
      expect(r.inserted + r.updated + r.unchanged + r.duplicates + r.notRepresentable).toBe(r.lines);
      expect(r.duplicates).toBe(source.injected.duplicate ?? 0);
      expect(r.nullKeys).toBe(source.injected.null_key ?? 0);
      // Only a JSON line cut short cannot be a row; a garbled CSV cell is just text.
      expect(r.notRepresentable).toBe(r.table === 'orders' ? (source.injected.malformed ?? 0) : 0);
      expect(r.unchanged).toBe(0);
    }
    const of = (table: string, batch: number): TableLoadResult => loaded.find((r) => r.table === table && r.batch === batch)!;
    // What one batch carries twice under one key: a customer's garbled copy (updated_at "not-a-date") right after
    // its clean line, an inventory snapshot's garbled or negative copy; orders never.
    for (const batch of [1, 2]) {
      const m = manifests[batch - 1]!;
      expect(of('customers', batch).sameKeyVersions).toBe(m.sources.customers.injected.malformed ?? 0);
      expect(of('orders', batch).sameKeyVersions).toBe(0);
      expect(of('inventory', batch).sameKeyVersions).toBeGreaterThanOrEqual((m.sources.inventory.injected.malformed ?? 0) + (m.sources.inventory.injected.negative_quantity ?? 0));
    }
    const changes = manifests[1]!.changes.customers;
    expect(of('customers', 2).updated).toBe(changes.changed + changes.resentUnchanged);
    expect(of('customers', 2).inserted).toBe(changes.added + of('customers', 2).nullKeys + of('customers', 2).sameKeyVersions);

    for (const table of ORDERS_DB_TABLES) expect(await count(db, table)).toBe(loaded.filter((r) => r.table === table).reduce((n, r) => n + r.inserted, 0));

    const stamps = await queryOrdersDb(db, 'SELECT batch, min(updated_at)::text AS lo, max(updated_at)::text AS hi, count(*)::int AS n FROM customers GROUP BY batch ORDER BY batch');
    expect(stamps.map((s) => s['batch'])).toEqual([1, 2]);
    expect(stamps[0]!['lo']).toBe(stamps[0]!['hi']);
    expect(new Date(String(stamps[1]!['lo'])).getTime()).toBeGreaterThan(new Date(String(stamps[0]!['hi'])).getTime());
    expect(Number(stamps[1]!['n'])).toBe(of('customers', 2).inserted + of('customers', 2).updated);
    const indexes = await queryOrdersDb(db, "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%(updated_at)%' ORDER BY tablename");
    expect(indexes.map((i) => i['tablename'])).toEqual(['customers', 'inventory', 'orders']);
  }, 120_000);

  it('gives back the exact lines silver reads: CSV cells in header order, order events as their JSON', async () => {
    const batch2 = manifests[1]!;
    const fileLines = (table: 'customers' | 'orders'): Set<string> => new Set(readFileSync(join(LANDING, batch2.sources[table].file), 'utf8').split('\n'));
    const header = readFileSync(join(LANDING, batch2.sources.customers.file), 'utf8').split('\n')[0]!.split(',');
    const customers = await queryOrdersDb(db, `SELECT ${header.map((f) => `"${columnOfField(f)}"`).join(', ')} FROM customers WHERE batch = 2`);
    const customerLines = fileLines('customers');
    for (const row of customers) expect(customerLines.has(csvLine(header.map((f) => row[columnOfField(f)] as string | null)))).toBe(true);

    const orders = await queryOrdersDb(db, 'SELECT order_id, status, status_ts, customer_id, order_ts, items FROM orders WHERE batch = 2 AND order_id IS NOT NULL');
    const orderLines = fileLines('orders');
    for (const row of orders) {
      const event = Object.fromEntries(
        Object.entries(row)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, k === 'items' ? JSON.parse(String(v)) : v]),
      );
      expect(orderLines.has(JSON.stringify(event))).toBe(true);
    }
    expect(orders.length).toBeGreaterThan(0);
  });

  it('reloads the same batches without changing anything', async () => {
    const snapshot = async (): Promise<unknown[]> =>
      queryOrdersDb(
        db,
        'SELECT row_key, batch, updated_at::text AS at FROM customers UNION ALL SELECT row_key, batch, updated_at::text FROM orders UNION ALL SELECT row_key, batch, updated_at::text FROM inventory ORDER BY 1, 3',
      );
    const before = await snapshot();
    const again = await loadBatchesIntoPostgres(db, LANDING, manifests);
    for (const r of again) expect([r.inserted, r.updated]).toEqual([0, 0]);
    expect(await snapshot()).toEqual(before);
  }, 60_000);

  it('stamps a row an application updates with a later updated_at than any before', async () => {
    const [before] = await queryOrdersDb(db, 'SELECT max(updated_at)::text AS m FROM customers');
    const id = String((await queryOrdersDb(db, 'SELECT customer_id FROM customers WHERE batch = 1 AND customer_id IS NOT NULL ORDER BY row_key LIMIT 1'))[0]!['customer_id']);
    expect(await updateRows(db, 'customers', { customer_id: id }, { email: 'moved@example.com', updated_at: '2031-01-01T00:00:00.000Z' })).toBeGreaterThanOrEqual(1);
    const [after] = await queryOrdersDb(db, 'SELECT email, source_updated_at, updated_at::text AS at FROM customers WHERE row_key = $1', [id]);
    expect(after).toMatchObject({ email: 'moved@example.com', source_updated_at: '2031-01-01T00:00:00.000Z' });
    expect(new Date(String(after!['at'])).getTime()).toBeGreaterThan(new Date(String(before!['m'])).getTime());
  });

  it('stops and starts again on the same port with its data; a SIGKILLed server is stale and the next start recovers', async () => {
    const rows = await count(db, 'customers');
    const stop = await lhctl('services', 'stop', 'postgres');
    expect(stop.code, stop.stderr).toBe(0);
    expect((await postgresRow()).state).toBe('stopped');
    await expect(ordersDatabase(host)).rejects.toBeInstanceOf(EngineNotRunningError);

    await postgresService.start(host);
    expect((await ordersDatabase(host)).port).toBe(db.port);
    expect(await count(db, 'customers')).toBe(rows);

    const { pid } = await postgresRow();
    process.kill(pid!, 'SIGKILL');
    await until('the killed server to be gone', () => !isProcessAlive(pid!));
    expect((await postgresRow()).state).toMatch(/^stopped \(stale/);
    const started = performance.now();
    const restart = await lhctl('services', 'start', 'postgres');
    expect(restart.code, restart.stderr).toBe(0);
    process.stderr.write(`[postgres] start after SIGKILL (crash recovery) in ${Math.round(performance.now() - started)} ms\n`);
    expect((await postgresRow()).state).toBe('running');
    expect(await count(db, 'customers')).toBe(rows);
  }, 120_000);

  it('never shows the password: not in the process list, not in the log, not in any file but its own', async () => {
    expect(execFileSync('ps', ['-ef'], { encoding: 'utf8' })).not.toContain(db.password);
    const status = await lhctl('services', 'status', '--output', 'json');
    expect(status.stdout + status.stderr).not.toContain(db.password);
    const files = filesUnder(layout.dir).filter((f) => f !== layout.passwordFile);
    expect(files).toContain(layout.logFile);
    expect(readFileSync(layout.logFile, 'utf8').length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(db.password), file).toBe(false);
  });
});
