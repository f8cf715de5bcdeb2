import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultStream } from '../../src/core/types.js';
import type { SqlEngine } from '../../src/engines/engine.js';
import { render } from '../../src/output/render.js';
import { sharedEngine } from '../support/engine.js';

// Every Spark SQL type, each with edge values and a NULL row.
const EVERY_TYPE = `
  SELECT * FROM VALUES
    (CAST(-128 AS TINYINT), CAST(-32768 AS SMALLINT), -2147483648, -9223372036854775808L, CAST(1.5 AS FLOAT), 0.1D,
     CAST('-12345678901234567890.123456789' AS DECIMAL(38,9)), CAST(-0.01 AS DECIMAL(5,2)), CAST(9999999999 AS DECIMAL(10,0)),
     true, 'héllo, "world"', X'CAFE00', DATE'0001-01-01', TIMESTAMP'1969-12-31 23:59:59.999999', TIMESTAMP_NTZ'2024-02-29 12:00:00',
     array(1, NULL, 3), map('a', 1, 'b', NULL), named_struct('x', 1, 'y', array('p, q')),
     INTERVAL '1-2' YEAR TO MONTH, INTERVAL '3 04:05:06.789' DAY TO SECOND, CAST(NULL AS STRING)),
    (CAST(127 AS TINYINT), CAST(32767 AS SMALLINT), 2147483647, 9223372036854775807L, CAST('NaN' AS FLOAT), CAST('-Infinity' AS DOUBLE),
     CAST('99999999999999999999999999999.999999999' AS DECIMAL(38,9)), CAST(999.99 AS DECIMAL(5,2)), CAST(0 AS DECIMAL(10,0)),
     false, 'line\\nbreak\\r', X'', DATE'9999-12-31', TIMESTAMP'9999-12-31 23:59:59.999999', TIMESTAMP_NTZ'1969-12-31 23:59:59.5',
     array(), map(), named_struct('x', NULL, 'y', NULL),
     INTERVAL '-0-1' YEAR TO MONTH, INTERVAL '-0 00:00:00.000001' DAY TO SECOND, 'plain'),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
  AS t(tiny, small, int, big, f, d, dec_big, dec_neg, dec_whole, b, str, bin, dt, ts, ntz, arr, m, st, ym, dts, n)`;

/** The CSV lhctl writes for `sql`; `columnar` false hides the Arrow batches, so rows take the JS value path. */
async function csvOf(engine: SqlEngine, sql: string, columnar: boolean, limit?: number): Promise<Buffer> {
  const result = await engine.execute(sql);
  const rows: ResultStream = columnar ? result : { columns: result.columns, [Symbol.asyncIterator]: () => result[Symbol.asyncIterator]() };
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(Buffer.from(chunk)), cb()) });
  await render(out, { kind: 'table', columns: result.columns, rows }, { format: 'csv', color: false, ...(limit !== undefined ? { limit } : {}) });
  return Buffer.concat(chunks);
}

describe('CSV output from the local engine', () => {
  let engine: SqlEngine;

  beforeAll(async () => {
    engine = await sharedEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('writes every Spark type from Arrow columns exactly as from row values', async () => {
    const columnar = await csvOf(engine, EVERY_TYPE, true);
    expect(columnar.toString('utf8')).toBe((await csvOf(engine, EVERY_TYPE, false)).toString('utf8'));
    expect(columnar.toString('utf8')).toContain('\r\n-128,-32768,-2147483648,-9223372036854775808,1.5,0.1,-12345678901234567890.123456789,-0.01,9999999999,true,"héllo, ""world""",yv4A,0001-01-01,');
  });

  it('streams a large result in batches the same way, and stops at a limit', async () => {
    const sql = 'SELECT id, id * 2 AS twice, CAST(id AS STRING) AS label, CAST(id / 3 AS DECIMAL(18,4)) AS third FROM range(0, 60000)';
    const columnar = await csvOf(engine, sql, true);
    expect(columnar.equals(await csvOf(engine, sql, false))).toBe(true);
    expect(columnar.toString('latin1').split('\r\n')).toHaveLength(60_000 + 2);
    expect((await csvOf(engine, sql, true, 25_000)).equals(await csvOf(engine, sql, false, 25_000))).toBe(true);
  });
});
