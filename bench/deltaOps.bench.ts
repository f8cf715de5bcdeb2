import { randomUUID } from 'node:crypto';
import { executeStatement, queryRows, type SqlEngine } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import type { SparkConnectSession } from '../src/engines/sparkConnect/session.js';
import { checksumSql, optimizeSql, versionColumnsSql } from '../src/ops/statements.js';
import { diffVersions } from '../src/ops/tableDiff.js';
import { readTableState } from '../src/ops/tableDetail.js';
import type { TableRef } from '../src/ops/tableRef.js';
import { openMetricsSession, scanMetrics } from './scanMetrics.js';
import { HOME, median, row } from './support.js';

/**
 * Delta operations benchmarks, each measured side by side in one run on the local engine:
 * 1. Z-order: files a one-store, one-week query on fact_sales reads before vs after OPTIMIZE ZORDER BY
 *    (from the scan's own metrics). Goal: <= 0.3x.
 * 2. diff of two versions of a 1M-row table vs one full scan of it. Goal: <= 2x.
 * Run: node bench/run.mjs deltaOps   (BENCH_ONLY=zorder|diff runs one; BENCH_ROWS=… resizes)
 */
const SCHEMA = 'ops_bench_gold';
const ROWS = Number(process.env['BENCH_ROWS'] ?? 1_000_000);
const ref = (table: string): TableRef => ({ catalog: 'spark_catalog', schema: SCHEMA, table, layer: 'gold' });

async function drain(session: SparkConnectSession, sql: string): Promise<void> {
  for await (const _ of session.executeSql(sql, randomUUID(), () => undefined)) {
    // results of DDL and DML are not needed
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function numFiles(engine: SqlEngine, table: TableRef): Promise<number> {
  const state = await readTableState(engine, table);
  return state.detail.numFiles;
}

async function zorderBenchmark(engine: SqlEngine, session: SparkConnectSession): Promise<void> {
  const sales = ref('fact_sales');
  const name = `${SCHEMA}.fact_sales`;
  await drain(session, `DROP TABLE IF EXISTS ${name}`);
  await drain(session, `CREATE TABLE ${name} (transaction_id STRING, line_number INT, store_key INT, product_key INT, date_key INT, quantity INT, amount DECIMAL(12,2)) USING DELTA`);
  // Hourly batches land in arrival order: every file holds every store and every day.
  await drain(
    session,
    `INSERT INTO ${name} SELECT concat('T', id DIV 3), CAST(id % 3 AS INT), CAST(floor(rand(7) * 50) AS INT), CAST(floor(rand(11) * 2000) AS INT),
       CAST(floor(rand(13) * 365) AS INT), CAST(1 + floor(rand(17) * 5) AS INT), CAST(round(rand(19) * 200, 2) AS DECIMAL(12,2))
     FROM range(0, ${ROWS}, 1, 32)`,
  );
  const query = `SELECT count(*), sum(amount) FROM ${name} WHERE store_key = 7 AND date_key BETWEEN 120 AND 126`;
  await scanMetrics(session, query); // warm-up: caches of the first read are not the layout's doing
  const before = await scanMetrics(session, query);
  const filesBefore = await numFiles(engine, sales);
  const detail = (await readTableState(engine, sales)).detail;
  // Keep the file count: compaction alone must not be what lowers the files read.
  await drain(session, `SET spark.databricks.delta.optimize.maxFileSize = ${Math.ceil(detail.sizeInBytes / filesBefore)}`);
  const optimizeMs = await timed(() => drain(session, optimizeSql(sales, ['store_key', 'date_key'])));
  const filesAfter = await numFiles(engine, sales);
  await scanMetrics(session, query);
  const after = await scanMetrics(session, query);
  process.stdout.write(
    [
      `Z-order (${ROWS.toLocaleString('en')} rows, query: one store, one week)`,
      `  table files        before ${filesBefore}  after ${filesAfter}   (OPTIMIZE ZORDER BY took ${seconds(optimizeMs)})`,
      row(
        '  files read by the query, after / before',
        `${after.filesRead} / ${before.filesRead} = ${(after.filesRead / before.filesRead).toFixed(3)}x`,
        '<= 0.3x',
        after.filesRead / before.filesRead <= 0.3,
      ),
      `  bytes read         before ${before.bytesRead}  after ${after.bytesRead}   ratio ${(after.bytesRead / before.bytesRead).toFixed(3)}x`,
      `  query time         before ${seconds(before.ms)}  after ${seconds(after.ms)}`,
      '',
    ].join('\n'),
  );
}

async function diffBenchmark(engine: SqlEngine): Promise<void> {
  const lines = ref('sales_lines');
  const name = `${SCHEMA}.sales_lines`;
  await executeStatement(engine, `DROP TABLE IF EXISTS ${name}`);
  await executeStatement(
    engine,
    `CREATE TABLE ${name} (transaction_id STRING, line_number INT, store_key INT, product_key INT, date_key INT, quantity INT, amount DECIMAL(12,2))
     USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true)`,
  );
  // Ten daily loads, then a correction batch: 1% of one day's lines re-priced, 0.1% deleted, new lines added.
  const perDay = ROWS / 10;
  for (let day = 0; day < 10; day++) {
    await executeStatement(
      engine,
      `INSERT INTO ${name} SELECT concat('D${day}-', id DIV 3), CAST(id % 3 AS INT), CAST(id % 50 AS INT), CAST(id % 2000 AS INT), ${day}, CAST(1 + id % 5 AS INT), CAST((id % 20000) / 100 AS DECIMAL(12,2))
       FROM range(0, ${perDay}, 1, 2)`,
    );
  }
  const fromVersion = 10;
  await executeStatement(
    engine,
    `MERGE INTO ${name} t USING (
       SELECT transaction_id, line_number, amount + 1 AS amount, false AS gone FROM ${name} WHERE date_key = 9 AND line_number = 0 AND hash(transaction_id) % 33 = 0
       UNION ALL SELECT transaction_id, line_number, amount, true FROM ${name} WHERE date_key = 9 AND line_number = 1 AND hash(transaction_id) % 333 = 0
       UNION ALL SELECT concat('D9-late-', id), 0, 5.00, false FROM range(0, 500)
     ) s ON t.transaction_id = s.transaction_id AND t.line_number = s.line_number
     WHEN MATCHED AND s.gone THEN DELETE
     WHEN MATCHED THEN UPDATE SET amount = s.amount
     WHEN NOT MATCHED THEN INSERT (transaction_id, line_number, store_key, product_key, date_key, quantity, amount) VALUES (s.transaction_id, s.line_number, 1, 1, 9, 1, s.amount)`,
  );
  const state = await readTableState(engine, lines);
  const toVersion = fromVersion + 1;
  const columns = (await queryRows(engine, versionColumnsSql(lines, toVersion))).columns.map((c) => c.name);
  const key = ['transaction_id', 'line_number'];
  const runs: Record<string, number[]> = { scan: [], olderScan: [], cdf: [], snapshot: [] };
  let counts = '';
  // Round 0 warms code generation and caches up and is not counted; then medians of 5 alternating rounds.
  for (let round = 0; round <= 5; round++) {
    if (round === 1) for (const samples of Object.values(runs)) samples.length = 0;
    runs['scan']!.push(await timed(() => queryRows(engine, checksumSql(lines, toVersion, columns))));
    // A snapshot comparison reads the older version too, through time travel: what that read alone costs.
    runs['olderScan']!.push(await timed(() => queryRows(engine, checksumSql(lines, fromVersion, columns))));
    runs['cdf']!.push(
      await timed(async () => {
        const diff = await diffVersions(engine, state, { fromVersion, toVersion, key, method: 'cdf' });
        counts = `${diff.inserted} inserted, ${diff.deleted} deleted, ${diff.updated} updated`;
      }),
    );
    runs['snapshot']!.push(await timed(() => diffVersions(engine, state, { fromVersion, toVersion, key, method: 'snapshot' })));
  }
  const scan = median(runs['scan']!);
  const line = (label: string, ms: number): string => `  ${label.padEnd(44)} ${seconds(ms).padStart(9)}   ${(ms / scan).toFixed(2)}x a full scan`;
  const cdf = median(runs['cdf']!);
  const snapshot = median(runs['snapshot']!);
  process.stdout.write(
    [
      `diff of two versions of a ${ROWS.toLocaleString('en')}-row table (${state.detail.numFiles} files; change: ${counts}); medians of 5 alternating rounds after a warm-up`,
      line('one full scan (all columns, one version)', scan),
      line('one full scan, older version (time travel)', median(runs['olderScan']!)),
      line('lhctl diff: Change Data Feed (what auto picks)', cdf),
      line('lhctl diff --method snapshot (no feed)', snapshot),
      row('  lhctl diff (auto, CDF) / one full scan', `${(cdf / scan).toFixed(2)}x`, '<= 2x', cdf / scan <= 2),
      row('  lhctl diff --method snapshot / one full scan', `${(snapshot / scan).toFixed(2)}x`, '<= 2x', snapshot / scan <= 2),
      '',
    ].join('\n'),
  );
}

const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
const session = await openMetricsSession(HOME);
try {
  await executeStatement(engine, `CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  const only = process.env['BENCH_ONLY'];
  if (only === undefined || only === 'zorder') await zorderBenchmark(engine, session);
  if (only === undefined || only === 'diff') await diffBenchmark(engine);
} finally {
  await engine.close();
  await session.releaseSession();
}
process.exit(0);
