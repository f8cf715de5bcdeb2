import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdfDiffSql, snapshotDiffSql } from '../../src/ops/diffStatements.js';
import { commitTag } from '../../src/ops/history.js';
import {
  checksumSql,
  countRowsSql,
  describeDetailSql,
  describeHistorySql,
  describeTableSql,
  optimizeSql,
  restoreSql,
  showTablesSql,
  tableChangesSql,
  timeTravelSql,
  vacuumSql,
} from '../../src/ops/statements.js';
import { tableRefOf } from '../../src/ops/tableRef.js';
import { testProfile } from '../support/engine.js';

/**
 * The SQL every Delta operation sends, for the local profile and a Databricks one. The files are
 * written by the runner (UPDATE_GOLDEN=1) and never edited by hand; a change shows up in review.
 */
const GOLDEN_DIR = join(import.meta.dirname, 'golden');

function statementsFor(profileName: string): string {
  const profile = testProfile(profileName);
  const customer = tableRefOf(profile, 'gold.dim_customer');
  const sales = tableRefOf(profile, 'gold.fact_sales');
  const columns = ['customer_sk', 'customer_id', 'name', 'email', 'city', 'effective_from', 'effective_to', 'is_current'];
  const diff = { ref: customer, fromVersion: 3, toVersion: 5, columns, key: ['customer_id', 'effective_from'] };
  const sections: [string, string][] = [
    ['tables', showTablesSql(profile.catalog, profile.schemas.gold)],
    ['describe detail', describeDetailSql(customer)],
    ['describe schema', describeTableSql(customer)],
    ['row count', countRowsSql(customer)],
    ['history', describeHistorySql(customer, 20)],
    ['commit tag set by pipeline tasks', commitTag('r-20261125-0100', 'gold_dim_customer').sql],
    ['time-travel', timeTravelSql(customer, 3, { columns: ['customer_id', 'email'], where: "city = 'Oslo'", limit: 100 })],
    ['diff (change data feed)', cdfDiffSql(diff)],
    ['diff (snapshots)', snapshotDiffSql(diff)],
    ['diff (snapshots, whole rows)', snapshotDiffSql({ ...diff, key: [] })],
    ['cdf', tableChangesSql(customer, 3, 5, ['update_preimage', 'update_postimage'])],
    ['restore', restoreSql(customer, 3)],
    ['restore check', checksumSql(customer, 3, columns)],
    ['optimize', optimizeSql(sales, ['store_key', 'date_key'])],
    ['vacuum dry run', vacuumSql(sales, 168, true)],
    ['vacuum', vacuumSql(sales, 240, false)],
  ];
  return sections.map(([title, sql]) => `-- ${title}\n${sql};\n`).join('\n');
}

describe('golden SQL of the Delta operations', () => {
  for (const profileName of ['local', 'dev']) {
    it(`matches test/ops/golden/${profileName}.sql`, () => {
      const file = join(GOLDEN_DIR, `${profileName}.sql`);
      const actual = statementsFor(profileName);
      if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(file, actual);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
