import { describe, expect, it } from 'vitest';
import { QueryError, UsageError } from '../../src/core/errors.js';
import { cdfCovers, cdfEnabledSince } from '../../src/ops/cdfCoverage.js';
import { parseDeltaInterval, parseDuration } from '../../src/ops/durations.js';
import type { HistoryEntry } from '../../src/ops/history.js';
import { commitCounts, writtenBy } from '../../src/ops/history.js';
import { assetLineage, downstreamTables } from '../../src/ops/lineage.js';
import { oldestReachableVersion, retentionOf } from '../../src/ops/retention.js';
import { tableCandidates } from '../../src/ops/tableRef.js';
import { resolveVersion, versionPoint } from '../../src/ops/versions.js';
import { testProfile } from '../support/engine.js';

/** Recorded-shape history: the decisions ops make from DESCRIBE HISTORY, without an engine. */
const at = (minutes: number): string => new Date(Date.UTC(2026, 10, 25, 12, minutes)).toISOString();
const NOW = new Date(Date.UTC(2026, 10, 25, 13, 0));
function entry(version: number, minutes: number, operation: string, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { version, timestamp: at(minutes), operation, parameters: {}, metrics: {}, userMetadata: null, job: null, ...extra };
}
const HISTORY: HistoryEntry[] = [
  entry(0, 0, 'CREATE TABLE', { parameters: { properties: '{"delta.enableChangeDataFeed":"true"}' } }),
  entry(1, 10, 'WRITE', { metrics: { numOutputRows: '5', numFiles: '2' } }),
  entry(2, 20, 'MERGE', {
    metrics: { numTargetRowsInserted: '2', numTargetRowsUpdated: '1', numTargetRowsDeleted: '0', numTargetFilesRemoved: '1', numTargetFilesAdded: '2' },
    userMetadata: '{"run":"r-42","task":"gold_dim_customer"}',
  }),
  entry(3, 30, 'SET TBLPROPERTIES', { parameters: { properties: '{"delta.enableChangeDataFeed":"false"}' } }),
  entry(4, 40, 'DELETE', { metrics: { numDeletedRows: '1', numRemovedFiles: '1' } }),
];
const ref = tableCandidates(testProfile('local'), 'gold.dim_customer')[0]!;
const week = retentionOf({});

describe('table names', () => {
  it('resolves short forms through the profile and refuses names that could escape quoting', () => {
    const local = testProfile('local');
    expect(tableCandidates(local, 'gold.dim_customer')).toEqual([{ catalog: 'spark_catalog', schema: 'local_gold', table: 'dim_customer', layer: 'gold' }]);
    expect(tableCandidates(local, 'dim_customer').map((c) => c.schema)).toEqual(['local_gold', 'local_silver', 'local_bronze']);
    expect(tableCandidates(testProfile('dev'), 'dev_gold.fact_sales')[0]).toMatchObject({ catalog: 'retail_datalake', layer: 'gold' });
    expect(() => tableCandidates(local, 'gold.x`; DROP TABLE y')).toThrow(UsageError);
  });
});

describe('versions and retention', () => {
  it('names the versions that exist, and the creation time for a time before it', () => {
    expect(() => resolveVersion(ref, HISTORY, versionPoint('9', '--version'), week, NOW)).toThrow('versions 0 to 4 exist');
    expect(() => resolveVersion(ref, HISTORY, versionPoint('2026-11-24T00:00:00Z', '--timestamp'), week, NOW)).toThrow(`it was created at ${at(0)}`);
    expect(resolveVersion(ref, HISTORY, versionPoint('45m', '--ago'), week, NOW)).toBe(1);
    expect(resolveVersion(ref, HISTORY, versionPoint(at(25), '--timestamp'), week, NOW)).toBe(2);
    // No zone means UTC, with or without the T.
    expect(resolveVersion(ref, HISTORY, versionPoint('2026-11-25 12:25:00', '--timestamp'), week, NOW)).toBe(2);
    expect(resolveVersion(ref, HISTORY, versionPoint('2026-11-25T12:19', '--timestamp'), week, NOW)).toBe(1);
  });

  it('knows what a VACUUM made unreadable and names its retention', () => {
    const vacuumed = [...HISTORY, entry(5, 50, 'VACUUM START', { parameters: { specifiedRetentionMillis: '0' } }), entry(6, 51, 'VACUUM END', { metrics: { numDeletedFiles: '2' } })];
    // The DELETE at v4 removed a file v3 needs; v4..6 share files.
    expect(oldestReachableVersion(vacuumed, week, NOW)).toBe(4);
    const error = (() => {
      try {
        resolveVersion(ref, vacuumed, versionPoint('2', '--version'), week, NOW);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).message).toContain('it was vacuumed: the VACUUM at');
    expect((error as QueryError).parameters).toMatchObject({ oldestReachable: '4' });
    expect(oldestReachableVersion(HISTORY, retentionOf({ 'delta.deletedFileRetentionDuration': 'interval 25 minutes' }), NOW)).toBe(4);
  });

  it('reads durations and Delta intervals', () => {
    expect(parseDuration('168h', '--retain')).toBe(168 * 3_600_000);
    expect(parseDuration('2 days', '--ago')).toBe(48 * 3_600_000);
    expect(parseDeltaInterval('interval 1 week')).toBe(168 * 3_600_000);
    expect(() => parseDuration('soon', '--ago')).toThrow(UsageError);
  });
});

describe('change data feed coverage', () => {
  it('uses the feed only over versions committed while it was on', () => {
    expect(cdfCovers(HISTORY, 0, 2)).toBe(true);
    expect(cdfCovers(HISTORY, 1, 4)).toBe(false);
    expect(cdfEnabledSince(HISTORY)).toBeUndefined();
  });
});

describe('history rows', () => {
  it("maps each operation's metrics to rows and files, and shows the run that wrote it", () => {
    expect(commitCounts(HISTORY[2]!)).toEqual({ rows_inserted: 2, rows_updated: 1, rows_deleted: 0, files_added: 2, files_removed: 1 });
    expect(writtenBy(HISTORY[2]!)).toBe('run r-42 task gold_dim_customer');
  });
});

describe('lineage of the SQL assets', () => {
  it('finds the tables a restore leaves stale, transitively', () => {
    const lineage = [
      assetLineage('gold/dim_customer.sql', 'MERGE INTO {{catalog}}.{{gold}}.dim_customer t USING {{silver}}.customers s ON …'),
      assetLineage('gold/fact_sales.sql', 'INSERT INTO {{gold}}.fact_sales SELECT … FROM {{silver}}.sales_transactions s JOIN {{gold}}.dim_customer c ON …'),
      assetLineage('gold/agg_daily_sales.sql', 'CREATE OR REPLACE TABLE {{gold}}.agg_daily_sales AS SELECT … FROM {{gold}}.fact_sales -- not {{gold}}.dim_store'),
    ];
    expect(lineage[1]).toEqual({ file: 'gold/fact_sales.sql', writes: ['gold.fact_sales'], reads: ['gold.dim_customer', 'silver.sales_transactions'] });
    expect(downstreamTables(lineage, 'silver', 'customers')).toEqual(['gold.dim_customer', 'gold.fact_sales', 'gold.agg_daily_sales']);
    expect(downstreamTables(lineage, 'gold', 'agg_daily_sales')).toEqual([]);
  });
});
