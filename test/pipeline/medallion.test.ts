import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStatement, queryRecords, type SqlEngine } from '../../src/engines/engine.js';
import type { RecordRow } from '../../src/core/types.js';
import { historyEntryOf, writtenBy } from '../../src/ops/history.js';
import type { BatchManifest } from '../../src/pipelines/generator/manifest.js';
import { QUARANTINE_REASONS } from '../../src/pipelines/generator/manifest.js';
import { landingRoot } from '../../src/pipelines/landing.js';
import { loadSql } from '../../src/sql/index.js';
import { changeSources } from '../../src/sql/watermarks.js';
import { landNextBatches } from '../../src/pipelines/landed.js';
import { listRuns } from '../../src/pipelines/runner/records.js';
import { serverStatus, startServer } from '../../src/engines/local/server.js';
import { sharedEngine } from '../support/engine.js';
import { CLI, TEST_HOME } from '../support/paths.js';
import { profilesDirWith } from '../support/profiles.js';
import { GOLD_TABLES, SILVER_TABLES, dropSchemas, fingerprints, pipelineProfile, pipelineSettings, rowDifference, runJobs, scalar, tableName } from './support.js';

// One lakehouse built batch by batch through the real local engine; the tests run in order on it.
// Schema names are new each run, so nothing a crashed earlier run left in the warehouse is in the way.
const RUN = Date.now().toString(36).slice(-6);
const profile = pipelineProfile(`lhp_${RUN}`);
// Same bronze, own silver and gold: the transformation is cancelled or killed mid-way there and run again.
const cancelled = pipelineProfile(`lhc_${RUN}`, profile.schemas.bronze);
const killedCli = { ...pipelineProfile(`lhk_${RUN}`, profile.schemas.bronze), name: `lhk_${RUN}` };
const killedEngine = pipelineProfile(`lhe_${RUN}`, profile.schemas.bronze);
const INTERRUPTED = [cancelled, killedCli, killedEngine];
const settings = pipelineSettings();
const landing = landingRoot(profile, settings);
const SCALE = 0.01;
const LONG = 30 * 60_000;

let engine: SqlEngine;
const manifests: BatchManifest[] = [];

async function quarantineCounts(): Promise<Record<string, number>> {
  const rows = await queryRecords(engine, `SELECT source, reason, count(*) AS n FROM ${tableName(profile, 'silver', 'quarantine')} GROUP BY source, reason`);
  return Object.fromEntries(rows.map((r) => [`${r['source']}/${r['reason']}`, Number(r['n'])]));
}

function injectedCounts(): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const m of manifests) {
    for (const [source, s] of Object.entries(m.sources)) {
      for (const reason of QUARANTINE_REASONS) {
        if (s.injected[reason]) expected[`${source}/${reason}`] = (expected[`${source}/${reason}`] ?? 0) + s.injected[reason]!;
      }
    }
  }
  return expected;
}

/** POS lines naming a customer silver knows whose fact still points at the unknown member. */
function unresolvedKnownCustomers(): Promise<number> {
  return scalar(
    engine,
    `
    SELECT count(*) FROM ${tableName(profile, 'gold', 'fact_sales')} AS f
    JOIN ${tableName(profile, 'silver', 'sales_transactions')} AS s ON s.transaction_id = f.transaction_id AND s.line_number = f.line_number
    WHERE f.channel = 'pos' AND f.customer_sk = -1
      AND s.customer_id IN (SELECT customer_id FROM ${tableName(profile, 'silver', 'customers')})`,
  );
}

describe('medallion pipeline on the local engine', () => {
  let unresolvedAfterBatch1 = 0;

  beforeAll(async () => {
    engine = await sharedEngine();
    await dropSchemas(engine, profile);
    for (const other of INTERRUPTED) await dropSchemas(engine, other);
  }, LONG);

  afterAll(async () => {
    for (const other of INTERRUPTED) await dropSchemas(engine, other).catch(() => undefined);
    await dropSchemas(engine, profile).catch(() => undefined);
    await engine?.close();
  });

  it(
    'batch 1: quarantine holds exactly the injected defects; late-arriving customers point at the unknown member',
    async () => {
      manifests.push(...(await landNextBatches({ landingDir: landing, batches: 1, seed: 'pipeline-test', scale: SCALE })));
      await runJobs(engine, profile, settings, ['ingest', 'transform', 'quality']);
      expect(await quarantineCounts()).toEqual(injectedCounts());
      const posLines = await scalar(engine, `SELECT count(*) FROM ${tableName(profile, 'gold', 'fact_sales')} WHERE channel = 'pos'`);
      expect(posLines).toBe(manifests[0]!.sales.lines);
      const unresolved = await scalar(
        engine,
        `
      SELECT count(*) FROM ${tableName(profile, 'gold', 'fact_sales')} AS f
      JOIN ${tableName(profile, 'silver', 'sales_transactions')} AS s ON s.transaction_id = f.transaction_id AND s.line_number = f.line_number
      WHERE f.customer_sk = -1 AND s.customer_id IS NOT NULL`,
      );
      expect(unresolved).toBeGreaterThan(0);
      unresolvedAfterBatch1 = unresolved;
    },
    LONG,
  );

  /** Every silver and gold table of `other` equals the uninterrupted run's, row for row. */
  async function expectSameTablesAs(other: typeof profile): Promise<void> {
    for (const table of SILVER_TABLES) expect(await rowDifference(engine, tableName(profile, 'silver', table), tableName(other, 'silver', table)), table).toBe(0);
    for (const table of GOLD_TABLES) expect(await rowDifference(engine, tableName(profile, 'gold', table), tableName(other, 'gold', table)), table).toBe(0);
  }

  it(
    'a transformation cancelled mid-way (Ctrl-C) and run again ends equal, row for row, to an uninterrupted one',
    async () => {
      const abort = new AbortController();
      const [interrupted] = await runJobs(engine, cancelled, settings, ['transform'], {
        signal: abort.signal,
        onEvent: (e) => {
          if (e.task === 'silver_sales_transactions' && e.state === 'running') setTimeout(() => abort.abort(), 1500);
        },
      }).then(
        () => [undefined],
        (error: Error) => [error],
      );
      expect(interrupted?.message).toMatch(/cancelled/);
      await runJobs(engine, cancelled, settings, ['transform']);
      await expectSameTablesAs(cancelled);
    },
    LONG,
  );

  it(
    '`lhctl run transform` killed mid-way (SIGKILL) and run again ends equal, row for row, to an uninterrupted run',
    async () => {
      const env = { ...process.env, LHCTL_HOME: TEST_HOME, LHCTL_PROFILES_DIR: profilesDirWith(killedCli.name, killedCli.schemas), LHCTL_ENV: killedCli.name };
      const run = spawn(process.execPath, [CLI, 'run', 'transform'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let progress = '';
      run.stderr.on('data', (chunk: Buffer) => {
        const before = progress;
        progress += chunk.toString();
        if (!before.includes('silver_sales_transactions running') && progress.includes('silver_sales_transactions running')) setTimeout(() => run.kill('SIGKILL'), 1500);
      });
      const [code, signal] = await once(run, 'exit');
      expect({ code, signal }, progress).toEqual({ code: null, signal: 'SIGKILL' });
      const [killedRun] = JSON.parse(execFileSync(process.execPath, [CLI, 'runs', 'list', '--output', 'json'], { env, encoding: 'utf8' })) as { run_id: string; state: string; job: string }[];
      expect(killedRun).toMatchObject({ job: 'retail_transformation_pipeline', state: 'interrupted' });
      // What the killed client had sent keeps running on the server: the rerun stops it before it starts.
      const rerun = spawnSync(process.execPath, [CLI, 'run', 'transform'], { env, encoding: 'utf8' });
      expect(rerun.status, rerun.stderr).toBe(0);
      expect(rerun.stderr).toContain(`interrupted run ${killedRun!.run_id}: `);
      expect(listRuns(TEST_HOME, killedCli.name).find((r) => r.runId === killedRun!.run_id)).toMatchObject({ state: 'interrupted', leftoversStoppedAt: expect.any(String) });
      await expectSameTablesAs(killedCli);
    },
    LONG,
  );

  it(
    'the engine killed mid-transformation (SIGKILL), started again, and the job run again ends equal, row for row',
    async () => {
      const server = (await serverStatus(TEST_HOME)).state!;
      let killScheduled = false;
      const [failed] = await runJobs(engine, killedEngine, settings, ['transform'], {
        onEvent: (e) => {
          // Once: the task is retried (and so `running` again) after the engine is gone.
          if (e.task === 'silver_sales_transactions' && e.state === 'running' && !killScheduled) {
            killScheduled = true;
            setTimeout(() => process.kill(server.pid, 'SIGKILL'), 1500);
          }
        },
      }).then(
        () => [undefined],
        (error: Error) => [error],
      );
      expect(failed?.message).toMatch(/transform failed/);
      await engine.close().catch(() => undefined);
      await startServer({ home: TEST_HOME, javaHome: process.env['JAVA_HOME'], env: process.env });
      engine = await sharedEngine();
      await runJobs(engine, killedEngine, settings, ['transform']);
      await expectSameTablesAs(killedEngine);
    },
    LONG,
  );

  /** How many versions each silver and gold table has. */
  async function historyLengths(of: typeof profile): Promise<Record<string, number>> {
    const tables = [...SILVER_TABLES.map((t) => tableName(of, 'silver', t)), ...GOLD_TABLES.map((t) => tableName(of, 'gold', t))];
    const lengths = await Promise.all(tables.map(async (t) => (await queryRecords(engine, `DESCRIBE HISTORY ${t}`)).length));
    return Object.fromEntries(tables.map((t, i) => [t, lengths[i]!]));
  }

  it(
    're-running every job with no new data changes no row, adds no version to a silver or gold table, and skips every incremental task',
    async () => {
      const before = await fingerprints(engine, profile, ['quality_results']);
      const versionsBefore = await historyLengths(profile);
      const bronzeBefore = await scalar(engine, `SELECT count(*) FROM ${tableName(profile, 'bronze', 'sales_transactions')}`);
      const records = await runJobs(engine, profile, settings, ['ingest', 'transform', 'quality']);
      expect(await fingerprints(engine, profile, ['quality_results'])).toEqual(before);
      expect(await scalar(engine, `SELECT count(*) FROM ${tableName(profile, 'bronze', 'sales_transactions')}`)).toBe(bronzeBefore);
      const changed = records.flatMap((r) => r.tasks.flatMap((t) => t.writes)).filter((w) => w.rowsInserted + w.rowsUpdated + w.rowsDeleted > 0);
      expect(changed).toEqual([]);
      expect(await historyLengths(profile)).toEqual(versionsBefore);
      const transform = records.find((r) => r.job === 'retail_transformation_pipeline')!;
      const incremental = transform.tasks.filter((t) => changeSources(loadSql(t.sql)).length > 0);
      expect(incremental.length).toBe(11);
      expect(incremental.map((t) => [t.key, t.state]).filter(([, state]) => state !== 'up-to-date')).toEqual([]);
    },
    LONG,
  );

  it(
    'batches 2 and 3: checks pass, drift reaches silver, SCD2 versions only on change, late events keep their version',
    async () => {
      manifests.push(...(await landNextBatches({ landingDir: landing, batches: 2 })));
      const records = await runJobs(engine, profile, settings, ['ingest', 'transform', 'quality']);
      expect(await quarantineCounts()).toEqual(injectedCounts());

      // Every commit a task recorded is stamped with that run and task, parallel quarantine appends included.
      const histories = new Map<string, Promise<RecordRow[]>>();
      let stamped = 0;
      for (const record of records) {
        for (const task of record.tasks) {
          for (const write of task.writes) {
            if (!histories.has(write.table)) histories.set(write.table, queryRecords(engine, `DESCRIBE HISTORY ${write.table}`));
            const commit = (await histories.get(write.table)!).find((h) => Number(h['version']) === write.version)!;
            expect(writtenBy(historyEntryOf(commit)), `${write.table}@${write.version}`).toBe(`run ${record.runId} task ${task.key}`);
            stamped++;
          }
        }
      }
      expect(stamped).toBeGreaterThan(20);

      const drift = await queryRecords(engine, `SELECT _batch_id, count(*) AS n, count(loyalty_tier) AS tiers FROM ${tableName(profile, 'silver', 'customers')} GROUP BY _batch_id ORDER BY _batch_id`);
      expect(drift.map((r) => Number(r['tiers']) > 0)).toEqual([false, false, true]);
      expect(await scalar(engine, `SELECT count(*) FROM ${tableName(profile, 'silver', 'sales_transactions')} WHERE _batch_id = 3 AND payment_method IS NULL`)).toBe(0);

      const changes = (dim: 'customers' | 'products'): number => manifests.reduce((n, m) => n + m.changes[dim].changed, 0);
      expect(await scalar(engine, `SELECT count(*) - count(DISTINCT customer_id) FROM ${tableName(profile, 'gold', 'dim_customer')} WHERE customer_sk <> -1`)).toBe(changes('customers'));
      expect(await scalar(engine, `SELECT count(*) - count(DISTINCT product_id) FROM ${tableName(profile, 'gold', 'dim_product')} WHERE product_sk <> -1`)).toBe(changes('products'));

      const outsideValidity = await scalar(
        engine,
        `
      SELECT count(*) FROM ${tableName(profile, 'gold', 'fact_sales')} AS f JOIN ${tableName(profile, 'gold', 'dim_customer')} AS d ON d.customer_sk = f.customer_sk
      WHERE f.customer_sk <> -1 AND NOT (f.event_ts >= d.effective_from AND (d.effective_to IS NULL OR f.event_ts < d.effective_to))`,
      );
      expect(outsideValidity).toBe(0);
      const lateOnOldVersions = await scalar(
        engine,
        `
      SELECT count(*) FROM ${tableName(profile, 'gold', 'fact_sales')} AS f JOIN ${tableName(profile, 'gold', 'dim_customer')} AS d ON d.customer_sk = f.customer_sk
      WHERE NOT d.is_current AND f.event_ts < TIMESTAMP'${manifests[2]!.businessDate} 00:00:00'`,
      );
      expect(lateOnOldVersions).toBeGreaterThan(0);

      expect(unresolvedAfterBatch1).toBeGreaterThan(0);
      expect(await unresolvedKnownCustomers()).toBe(0);
    },
    LONG,
  );

  it(
    'every silver and gold table built incrementally (batch 1, then batches 2 and 3) equals the same tables built by one --full-refresh, row for row',
    async () => {
      const full = pipelineProfile(`lhf_${RUN}`, profile.schemas.bronze);
      try {
        const [record] = await runJobs(engine, full, settings, ['transform'], { fullRefresh: true });
        const read = record!.tasks.find((t) => t.key === 'silver_sales_transactions')!.reads![0]!;
        expect(read).toMatchObject({ source: 'bronze.sales_transactions', fromVersion: 0 });
        expect(read.rows).toBe(await scalar(engine, `SELECT count(*) FROM ${tableName(profile, 'bronze', 'sales_transactions')}`));
        await expectSameTablesAs(full);
        // A full refresh over tables that are up to date changes none of them.
        const versionsBefore = await historyLengths(profile);
        await runJobs(engine, profile, settings, ['transform'], { fullRefresh: true });
        expect(await historyLengths(profile)).toEqual(versionsBefore);
      } finally {
        // Its bronze is the suite's own: only its silver and gold go.
        await dropSchemas(engine, full, ['silver', 'gold']).catch(() => undefined);
      }
    },
    LONG,
  );

  it(
    'a broken invariant fails the quality job with the table, rule, count and sample keys',
    async () => {
      const dim = tableName(profile, 'gold', 'dim_customer');
      await executeStatement(
        engine,
        `INSERT INTO ${dim} SELECT -42, customer_id, first_name, last_name, email, phone, street, city, state, postal_code, segment,
      TIMESTAMP'2030-01-01 00:00:00', NULL, true FROM ${dim} WHERE customer_id = 'C0000001' AND is_current`,
      );
      const failed = await runJobs(engine, profile, settings, ['quality']).then(
        () => undefined,
        (error: Error) => error,
      );
      expect(failed?.message).toMatch(/quality_gate: .*gold\.dim_customer \[one current row per key\] 1 failing, e\.g\. C0000001/);
      await executeStatement(engine, `DELETE FROM ${dim} WHERE customer_sk = -42`);
      await runJobs(engine, profile, settings, ['quality']);
    },
    LONG,
  );
});
