import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeStatement } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import { readSnapshot } from '../src/services/sharing/deltaLog.js';
import { newId, readCatalog, sharingLayout, updateCatalog } from '../src/services/sharing/index.js';
import { CLI, HOME, median, REPO, row } from './support.js';

/**
 * Delta Sharing on the local env, measured in one run against the server lhctl runs:
 * 1. load_as_pandas of a fact_sales-like table through the official Python connector vs pyarrow reading the same
 *    version's Parquet files straight from disk (both to pandas). Goal: direct / connector >= 0.5x.
 * 2. Time to the first page of list-all-tables for a share of 1,000 tables (and to the whole listing).
 * Run: node bench/run.mjs sharing   (test/sharing/setup-python.sh first; BENCH_ROWS resizes, default 1,000,000)
 */
const SCHEMA = 'sharing_bench';
const SHARE = 'bench_partners';
const WIDE = 'bench_wide';
const RECIPIENT = 'bench_acme';
const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const PYTHON = join(REPO, 'test', '.work', 'venv-sharing', 'bin', 'python');
const PARTNER = join(REPO, 'bench', 'sharing_partner.py');
const layout = sharingLayout(HOME);

function lhctl(...args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args, '--yes'], { env: { ...process.env, LHCTL_HOME: HOME, NO_COLOR: '1' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`lhctl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function partner(...args: string[]): Record<string, number[] | number> {
  return JSON.parse(execFileSync(PYTHON, [PARTNER, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Record<string, number[] | number>;
}

async function forget(): Promise<void> {
  await updateCatalog(layout, (catalog) => {
    catalog.shares = catalog.shares.filter((s) => s.name !== SHARE && s.name !== WIDE);
    catalog.recipients = catalog.recipients.filter((r) => r.name !== RECIPIENT);
    catalog.grants = catalog.grants.filter((g) => g.recipient !== RECIPIENT);
  });
}

execFileSync(join(REPO, 'test', 'sharing', 'setup-python.sh'), { stdio: 'inherit' });
const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
const wasServing = (JSON.parse(lhctl('sharing', 'status', '--output', 'json')) as { state: string }).state === 'running';
try {
  await forget();
  await executeStatement(engine, `DROP SCHEMA IF EXISTS spark_catalog.${SCHEMA} CASCADE`);
  await executeStatement(engine, `CREATE SCHEMA spark_catalog.${SCHEMA}`);
  await executeStatement(
    engine,
    `CREATE TABLE spark_catalog.${SCHEMA}.fact_sales (transaction_id STRING, line_number INT, event_ts TIMESTAMP, date_key INT, customer_sk BIGINT, product_sk BIGINT,
       store_sk BIGINT, quantity INT, unit_price DECIMAL(10,2), net_amount DECIMAL(12,2)) USING delta`,
  );
  await executeStatement(
    engine,
    `INSERT INTO spark_catalog.${SCHEMA}.fact_sales SELECT concat('T', id DIV 3), CAST(id % 3 AS INT), timestamp_seconds(1767225600 + id), CAST(20260101 + id % 28 AS INT),
       id % 50000, id % 2000, id % 40, CAST(1 + id % 5 AS INT), CAST(1 + (id % 9000) / 100 AS DECIMAL(10,2)), CAST((1 + id % 5) * (1 + (id % 9000) / 100) AS DECIMAL(12,2))
     FROM range(0, ${ROWS}, 1, 8)`,
  );
  lhctl('shares', 'create', SHARE);
  lhctl('shares', 'add-table', SHARE, `${SCHEMA}.fact_sales`, '--as', 'gold.fact_sales');
  lhctl('recipients', 'create', RECIPIENT);
  lhctl('shares', 'grant', SHARE, RECIPIENT);
  lhctl('sharing', 'serve');
  const profile = join(layout.profilesDir, `${RECIPIENT}.share`);

  const table = readCatalog(layout).shares.find((s) => s.name === SHARE)!.tables[0]!;
  const snapshot = await readSnapshot(table.location);
  const filesJson = join(REPO, 'bench', '.out', 'sharing-files.json');
  writeFileSync(filesJson, JSON.stringify([...snapshot.files.keys()].map((path) => join(table.location, decodeURIComponent(path)))));
  const load = partner('load', profile, `${SHARE}.gold.fact_sales`, filesJson, '3');
  const connector = median(load['connector'] as number[]);
  const direct = median(load['direct'] as number[]);
  const alike = median(load['alike'] as number[]);

  // A share of 1,000 tables (entries of the catalog pointing at the one table: listing reads no table).
  await updateCatalog(layout, (catalog) => {
    const tables = Array.from({ length: 1000 }, (_, i) => ({ ...table, sharedAs: `schema_${i % 10}.table_${i}`, id: newId() }));
    catalog.shares.push({ name: WIDE, id: newId(), comment: null, createdAt: new Date().toISOString(), tables });
    catalog.grants.push({ share: WIDE, recipient: RECIPIENT, grantedAt: new Date().toISOString() });
  });
  const listing = partner('list', profile, WIDE, '5');
  const first = median(listing['first'] as number[]);
  const whole = median(listing['all'] as number[]);

  process.stdout.write(
    [
      `Delta Sharing, local server (${ROWS.toLocaleString('en')} rows in ${snapshot.files.size} files, version ${snapshot.version})`,
      `  load_as_pandas through the server   ${connector.toFixed(2)} s   (${load['rows']} rows, median of 3)`,
      `  pyarrow from disk, same files       ${direct.toFixed(2)} s`,
      row('  speed through the server vs from disk (direct / connector)', `${(direct / connector).toFixed(2)}x`, '>= 0.5x', direct / connector >= 0.5),
      `  from disk, converted as the connector converts (per file, one thread): ${alike.toFixed(2)} s, ${(alike / connector).toFixed(2)}x — what the server's transport costs`,
      `  list all tables of a share of ${listing['tables']} tables: first page ${(first * 1000).toFixed(0)} ms, every page ${(whole * 1000).toFixed(0)} ms (median of 5)`,
      '',
    ].join('\n'),
  );
} finally {
  await forget();
  if (!wasServing) lhctl('sharing', 'stop');
  await executeStatement(engine, `DROP SCHEMA IF EXISTS spark_catalog.${SCHEMA} CASCADE`);
  await engine.close();
}
