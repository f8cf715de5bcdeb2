import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRecords, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { checksumSql, versionColumnsSql } from '../../src/ops/statements.js';
import { tableRefOf } from '../../src/ops/tableRef.js';
import type { Profile } from '../../src/profiles/profile.js';
import { runCli } from '../support/cli.js';
import { sharedEngine } from '../support/engine.js';
import { CLI_ENV, SUITE, buildFixture, writeSuiteProfiles } from './support/fixture.js';

const cli = (args: string[]) => runCli([...args, '--env', SUITE], { env: CLI_ENV });
const json = <T = Record<string, unknown>>(text: string): T => JSON.parse(text) as T;

describe('Delta operations on the real local engine', { timeout: 400_000 }, () => {
  let engine: SqlEngine;
  let profile: Profile;

  beforeAll(async () => {
    profile = writeSuiteProfiles();
    engine = await sharedEngine();
    await buildFixture(engine);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('diffs two batches of an SCD2 dimension through the Change Data Feed: what the batch changed, old → new', async () => {
    const result = await cli(['diff', 'gold.dim_customer', '--from', '1', '--to', '2', '--output', 'json']);
    expect(result.stderr).not.toContain('error');
    const diff = json<{ method: string; key: string; inserted: number; deleted: number; updated: number; changes: unknown[] }>(result.stdout);
    expect(diff).toMatchObject({ method: 'cdf', key: 'customer_id, effective_from', inserted: 2, deleted: 0, updated: 1 });
    expect(diff.changes).toContainEqual({
      change: 'update',
      key: { customer_id: 'C2', effective_from: '2026-01-01' },
      columns: { effective_to: { old: null, new: '2026-02-01' }, is_current: { old: true, new: false } },
    });
    const inserted = diff.changes.filter((c) => (c as { change: string }).change === 'insert').map((c) => (c as { key: unknown }).key);
    expect(inserted).toEqual(
      expect.arrayContaining([
        { customer_id: 'C2', effective_from: '2026-02-01' },
        { customer_id: 'C6', effective_from: '2026-02-01' },
      ]),
    );

    const snapshot = json<typeof diff>((await cli(['diff', 'gold.dim_customer', '--from', '1', '--to', '2', '--method', 'snapshot', '-o', 'json'])).stdout);
    expect({ ...snapshot, method: 'cdf' }).toEqual({ ...diff, changes: expect.arrayContaining(diff.changes) });
  });

  for (const method of ['snapshot', 'cdf']) {
    it(`compares on a key that is not unique without pairing rows that did not change (--method ${method})`, async () => {
      // city holds several customers: only the Bergen row closed (and its successor) and the new Oslo customer changed.
      const result = await cli(['diff', 'gold.dim_customer', '--from', '1', '--to', '2', '--key', 'city', '--method', method, '-o', 'json']);
      const diff = json<{ inserted: number; deleted: number; updated: number; changes: { key: { city: string } }[] }>(result.stdout);
      expect(diff).toMatchObject({ inserted: 1, deleted: 0, updated: 2 });
      expect(new Set(diff.changes.map((c) => c.key.city))).toEqual(new Set(['Bergen', 'Oslo']));
    });
  }

  it('diffs a table without the feed by comparing snapshots, on its natural key', async () => {
    const result = await cli(['diff', 'dim_store', '--from', '1', '--to', '2', '-o', 'json']);
    const diff = json<{ method: string; inserted: number; deleted: number; updated: number; changes: unknown[] }>(result.stdout);
    expect(diff).toMatchObject({ method: 'snapshot', inserted: 1, deleted: 1, updated: 1 });
    expect(diff.changes).toContainEqual({ change: 'update', key: { store_id: 2 }, columns: { store_name: { old: 'Bergen Sentrum', new: 'Bergen Storsenter' } } });
    const rows = await cli(['diff', 'dim_store', '--from', '1', '--to', '2', '--rows', '-o', 'csv']);
    expect(rows.stdout).toContain('update,store_id=2,store_name,Bergen Sentrum,Bergen Storsenter');
  });

  it('shows history with the operations, their row counts and the run and task that wrote them', async () => {
    const history = json<Record<string, unknown>[]>((await cli(['history', 'gold.dim_customer', '-o', 'json'])).stdout);
    expect(history.map((h) => h['operation'])).toEqual(['MERGE', 'WRITE', 'CREATE TABLE']);
    expect(history[0]).toMatchObject({ version: 2, rows_inserted: 2, rows_updated: 1, written_by: 'run r-42 task gold_dim_customer' });
    expect(history[1]).toMatchObject({ written_by: null });
  });

  it('reads the table as it was, filtered and projected', async () => {
    const result = await cli(['tt', 'gold.dim_customer', '--version', '1', '--where', "customer_id = 'C2'", '--columns', 'customer_id,email', '-o', 'json']);
    expect(json(result.stdout)).toEqual([{ customer_id: 'C2', email: 'bo@example.com' }]);
  });

  it('lists the feed and says when a table has none', async () => {
    const changes = json<Record<string, unknown>[]>((await cli(['cdf', 'gold.dim_customer', '--from', '2', '--change-type', 'update_postimage', '-o', 'json'])).stdout);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ customer_id: 'C2', is_current: false, _change_type: 'update_postimage', _commit_version: 2 });
    const off = await cli(['cdf', 'gold.dim_store', '--from', '1']);
    expect(off.code).toBe(1);
    expect(off.stderr).toContain('the Change Data Feed is off for ops_suite_gold.dim_store');
  });

  it('gives errors an operator can act on: versions that exist, creation time, closest names', async () => {
    const beyond = await cli(['tt', 'gold.dim_customer', '--version', '9']);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain('version 9 is not in the history of ops_suite_gold.dim_customer: versions 0 to 2 exist');
    const early = await cli(['tt', 'gold.dim_customer', '--timestamp', '2020-01-01T00:00:00Z']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/did not exist yet at 2020-01-01T00:00:00.000Z: it was created at \d{4}-\d\d-\d\dT/);
    const typo = await cli(['history', 'dim_custmer']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Did you mean ops_suite_gold.dim_customer');
    const noop = await cli(['restore', 'gold.dim_store', '--version', '2', '--yes']);
    expect(noop.code).toBe(2);
    expect(noop.stderr).toContain('is at version 2 already: nothing to restore');
  });

  it('restores after a preview: the new version equals the old one row for row, and history shows RESTORE', async () => {
    const preview = json((await cli(['restore', 'gold.dim_customer', '--version', '1', '--preview', '-o', 'json'])).stdout);
    expect(preview).toMatchObject({ current_version: 2, restore_to_version: 1, rows_to_insert: 0, rows_to_delete: 2, rows_to_update: 1 });
    const unconfirmed = await cli(['restore', 'gold.dim_customer', '--version', '1']);
    expect(unconfirmed.code).toBe(2);
    const guarded = await runCli(['restore', 'gold.dim_customer', '--version', '1', '--env', `${SUITE}_prod`], { env: CLI_ENV });
    expect(guarded.code).toBe(2);
    expect(guarded.stderr).toContain('protected and not armed');

    const restored = await cli(['restore', 'gold.dim_customer', '--version', '1', '--yes', '-o', 'json']);
    expect(restored.code).toBe(0);
    expect(json(restored.stdout)).toMatchObject({ new_version: 3, content_equals_restored_version: true, rows: 5 });
    const ref = tableRefOf(profile, 'gold.dim_customer');
    const columns = (await queryRows(engine, versionColumnsSql(ref, 1))).columns.map((c) => c.name);
    const [before] = await queryRecords(engine, checksumSql(ref, 1, columns));
    const [after] = await queryRecords(engine, checksumSql(ref, 3, columns));
    expect(after).toEqual(before);
    const [head] = json<Record<string, unknown>[]>((await cli(['history', 'gold.dim_customer', '--limit', '1', '-o', 'json'])).stdout);
    expect(head).toMatchObject({ version: 3, operation: 'RESTORE' });
  });

  it('OPTIMIZE lowers the file count and reports bytes and duration', async () => {
    const result = await cli(['optimize', 'gold.fact_sales', '--zorder', 'store_key', '-o', 'json']);
    const outcome = json<{ files_before: number; files_after: number; bytes_after: number; duration_s: number }>(result.stdout);
    expect(outcome.files_before).toBeGreaterThan(outcome.files_after);
    expect(outcome.files_after).toBe(1);
    expect(outcome.bytes_after).toBeGreaterThan(0);
    expect(outcome.duration_s).toBeGreaterThan(0);
  });

  it('VACUUM: refuses a retention below the floor, dry run lists only unreferenced files, then versions are gone', async () => {
    const below = await cli(['vacuum', 'gold.fact_sales', '--retain', '1h', '--dry-run']);
    expect(below.code).toBe(2);
    expect(below.stderr).toContain('below the retention floor of ops_suite_gold.fact_sales, delta.deletedFileRetentionDuration = interval 1 week');

    const dryRun = await cli(['vacuum', 'gold.agg_daily_sales', '--retain', '0h', '--dry-run', '-o', 'json']);
    expect(dryRun.code).toBe(0);
    // One JSON document: the plan and the file list, keyed by their titles.
    const listed = json<Record<string, { path: string }[]>>(dryRun.stdout)
      ['files that would be deleted']!.map((f) => fileURLToPath(f.path))
      .sort();
    const ref = tableRefOf(profile, 'gold.agg_daily_sales');
    const [{ location }] = (await queryRecords(engine, `DESCRIBE DETAIL ${'`'}${ref.schema}${'`'}.${'`'}${ref.table}${'`'}`)) as [{ location: string }];
    const dir = fileURLToPath(location);
    const onDisk = readdirSync(dir)
      .filter((f) => f.endsWith('.parquet'))
      .map((f) => join(dir, f));
    const referenced = new Set((await queryRecords(engine, `SELECT DISTINCT _metadata.file_path AS path FROM ${ref.schema}.${ref.table}`)).map((r) => fileURLToPath(String(r['path']))));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed).toEqual(onDisk.filter((f) => !referenced.has(f)).sort());

    const vacuumed = await cli(['vacuum', 'gold.agg_daily_sales', '--retain', '0h', '--yes', '-o', 'json']);
    expect(json(vacuumed.stdout)).toMatchObject({ files_deleted: listed.length });
    const gone = await cli(['tt', 'gold.agg_daily_sales', '--version', '1']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/version 1 of ops_suite_gold.agg_daily_sales can no longer be read: .*interval 0 hours/);
  });

  it('lists the tables of a layer with their size, files and feed', async () => {
    const tables = json<Record<string, unknown>[]>((await cli(['tables', '--layer', 'gold', '-o', 'json'])).stdout);
    expect(tables.map((t) => t['table'])).toEqual(['ops_suite_gold.agg_daily_sales', 'ops_suite_gold.dim_customer', 'ops_suite_gold.dim_store', 'ops_suite_gold.fact_sales']);
    expect(tables.find((t) => t['table'] === 'ops_suite_gold.dim_customer')).toMatchObject({ rows: 5, cdf: 'on', layer: 'gold' });
    expect(tables.find((t) => t['table'] === 'ops_suite_gold.fact_sales')).toMatchObject({ rows: 200, files: 1, clustering: 'z-order by store_key' });
  });
});
