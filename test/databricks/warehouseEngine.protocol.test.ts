/**
 * The warehouse engine at the protocol level: the real @databricks/sql driver talks Thrift over
 * HTTPS to a loopback TCLIService server. Nothing in the driver is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thrift as driverThrift } from '@databricks/sql';
import { CancelledError, ConfigError, QueryError } from '../../src/core/errors.js';
import { queryRows } from '../../src/engines/engine.js';
import { DatabricksSqlEngine } from '../../src/engines/databricks/warehouseEngine.js';
import { resolveDatabricksAuth } from '../../src/profiles/databricksAuth.js';
import { FAKE_TOKEN, databricksProfile, loopbackSettings } from './support/fixtures.js';
import { expireAllSessions } from './support/thriftHandler.js';
import { startThriftWarehouse, type ThriftWarehouse } from './support/thriftWarehouse.js';

const T = driverThrift.TCLIService_types;
const SALES = 'SELECT * FROM retail_datalake.qa_gold.fact_sales';
const SALES_COLUMNS = 'SELECT * FROM retail_datalake.qa_gold.fact_sales_v1';

const salesColumns = [
  { name: 'sale_id', type: T.TTypeId.BIGINT_TYPE },
  { name: 'amount', type: T.TTypeId.DECIMAL_TYPE, precision: 10, scale: 2 },
  { name: 'sold_at', type: T.TTypeId.TIMESTAMP_TYPE },
  { name: 'store', type: T.TTypeId.STRING_TYPE },
  { name: 'quantity', type: T.TTypeId.INT_TYPE },
  { name: 'is_return', type: T.TTypeId.BOOLEAN_TYPE },
  { name: 'sold_on', type: T.TTypeId.DATE_TYPE },
];
const salesRows = [
  [9007199254740993n, '12.50', '2026-11-01 09:15:00.123456', 'berlin', 2, false, '2026-11-01'],
  [2, '3.99', '2026-11-01 09:16:00', 'paris', 1, false, '2026-11-01'],
  [3, null, '2026-11-01 10:00:00', null, 1, true, '2026-11-01'],
  [4, '100.00', '2026-11-02 08:00:00', 'rome', 5, false, '2026-11-02'],
  [5, '0.01', '2026-11-02 08:00:01', 'oslo', 1, false, '2026-11-02'],
];

let warehouse: ThriftWarehouse;

function engineFor(options: { token?: string; httpPath?: string } = {}): DatabricksSqlEngine {
  const settings = loopbackSettings(warehouse.url, options.token ? { DATABRICKS_TOKEN: options.token } : {});
  const profile = databricksProfile('qa', { httpPath: options.httpPath ?? warehouse.httpPath });
  return new DatabricksSqlEngine(resolveDatabricksAuth(settings, profile), { catalog: 'retail_datalake', customCaCert: warehouse.caCert });
}

beforeAll(async () => {
  warehouse = await startThriftWarehouse({
    token: FAKE_TOKEN,
    tables: {
      [SALES]: { batchSize: 2, columns: salesColumns, rows: salesRows },
      // Column-based BIGINTs pass through the driver as JS numbers, so this copy stays below 2^53.
      [SALES_COLUMNS]: { batchSize: 2, columns: salesColumns, rows: salesRows.map((r, i) => [i === 0 ? 1 : r[0], ...r.slice(1)]), wire: 'columns' },
      'SELECT 1': { columns: [{ name: '1', type: T.TTypeId.INT_TYPE }], rows: [[1]] },
      'SELECT slow_aggregate()': { hang: true },
      'SELEC 1': { error: { message: "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601", sqlState: '42601' } },
    },
  });
});

afterAll(async () => {
  await warehouse.close();
});

describe('Databricks SQL warehouse engine over Thrift (protocol level)', () => {
  it.each([
    ['Arrow record batches (what warehouses send)', SALES, 9007199254740993n],
    ['column-based row sets', SALES_COLUMNS, 1n],
  ])('streams %s batch by batch with lhctl value conventions', async (_wire, sql, firstId) => {
    const engine = engineFor();
    try {
      const result = await engine.execute(sql, { tag: 'run-42/silver_orders' });
      expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
        'sale_id:bigint',
        'amount:decimal(10,2)',
        'sold_at:timestamp',
        'store:string',
        'quantity:int',
        'is_return:boolean',
        'sold_on:date',
      ]);
      const batches = [];
      for await (const batch of result) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
      expect(batches[0]![0]).toEqual([firstId, '12.50', '2026-11-01T09:15:00.123456Z', 'berlin', 2, false, '2026-11-01']);
      expect(batches[1]![0]).toEqual([3n, null, '2026-11-01T10:00:00Z', null, 1, true, '2026-11-01']);
    } finally {
      await engine.close();
    }
    const last = warehouse.state.statements.at(-1)!;
    expect(last.sql).toBe(sql);
    expect(last.confOverlay?.['query_tags']).toContain('run-42/silver_orders');
    expect(last.arrowNativeTypes).toMatchObject({ timestampAsArrow: false, decimalAsArrow: false });
    expect(warehouse.state.sessionConfigurations.at(-1)).toMatchObject({ TIMEZONE: 'UTC' });
    expect(warehouse.requests.every((r) => r.authorization === `Bearer ${FAKE_TOKEN}`)).toBe(true);
  });

  it('turns a missing table into a QueryError of kind table-not-found with its SQLSTATE', async () => {
    const engine = engineFor();
    try {
      const failure = await queryRows(engine, 'SELECT * FROM retail_datalake.qa_gold.nope').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(QueryError);
      expect(failure).toMatchObject({ kind: 'table-not-found', sqlState: '42P01', errorClass: 'TABLE_OR_VIEW_NOT_FOUND' });
      const parse = await queryRows(engine, 'SELEC 1').catch((e: unknown) => e);
      expect(parse).toMatchObject({ kind: 'parse', sqlState: '42601' });
    } finally {
      await engine.close();
    }
  });

  it('reopens an expired session and re-sends the statement without the caller noticing', async () => {
    const engine = engineFor();
    try {
      expect((await queryRows(engine, 'SELECT 1')).rows).toEqual([[1]]);
      const opened = warehouse.state.sessionConfigurations.length;
      expireAllSessions(warehouse.state);
      expect((await queryRows(engine, 'SELECT 1')).rows).toEqual([[1]]);
      expect(warehouse.state.sessionConfigurations.length).toBe(opened + 1);
    } finally {
      await engine.close();
    }
  });

  it('cancels a running statement on the server when the signal aborts, and stays usable', async () => {
    const engine = engineFor();
    const controller = new AbortController();
    try {
      const pending = engine.execute('SELECT slow_aggregate()', { signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      const failure = await pending.catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(CancelledError);
      expect(warehouse.state.cancelled.length).toBeGreaterThan(0);
      expect((await queryRows(engine, 'SELECT 1')).rows).toEqual([[1]]);
    } finally {
      await engine.close();
    }
  });

  it('reports a rejected token as a ConfigError naming where credentials were looked for', async () => {
    const engine = engineFor({ token: 'dapi' + 'f'.repeat(32) });
    try {
      const failure = await queryRows(engine, 'SELECT 1').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).hint).toContain('DATABRICKS_TOKEN');
    } finally {
      await engine.close();
    }
  });

  it('reports a wrong warehouse HTTP path as a ConfigError that says where to find the right one', async () => {
    const engine = engineFor({ httpPath: '/sql/1.0/warehouses/does-not-exist' });
    try {
      const failure = await queryRows(engine, 'SELECT 1').catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as ConfigError).hint).toContain('warehouse_http_path');
    } finally {
      await engine.close();
    }
  });
});
