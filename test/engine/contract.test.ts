import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, QueryError } from '../../src/core/errors.js';
import { executeStatement, queryRecords, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { sharedEngine } from '../support/engine.js';

const T = 'contract_suite.orders';

describe('engine contract: local Spark Connect + Delta', () => {
  let engine: SqlEngine;

  beforeAll(async () => {
    engine = await sharedEngine();
    await executeStatement(engine, 'CREATE SCHEMA IF NOT EXISTS contract_suite');
    await executeStatement(engine, `DROP TABLE IF EXISTS ${T}`);
    await executeStatement(engine, `CREATE TABLE ${T} (id INT, status STRING, amount DECIMAL(12,2)) USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true)`);
  });
  afterAll(async () => {
    await engine.close();
  });

  it('writes Delta versions with INSERT, UPDATE and MERGE, and reads them back with VERSION AS OF', async () => {
    await executeStatement(engine, `INSERT INTO ${T} VALUES (1, 'new', 10.50), (2, 'new', 20.00)`);
    await executeStatement(engine, `UPDATE ${T} SET status = 'paid' WHERE id = 1`);
    await executeStatement(
      engine,
      `MERGE INTO ${T} t USING (SELECT 2 AS id, 'shipped' AS status, CAST(20.00 AS DECIMAL(12,2)) AS amount UNION ALL SELECT 3, 'new', 5.25) s
       ON t.id = s.id
       WHEN MATCHED THEN UPDATE SET status = s.status
       WHEN NOT MATCHED THEN INSERT *`,
    );
    const now = await queryRecords(engine, `SELECT id, status, amount FROM ${T} ORDER BY id`);
    expect(now).toEqual([
      { id: 1, status: 'paid', amount: '10.50' },
      { id: 2, status: 'shipped', amount: '20.00' },
      { id: 3, status: 'new', amount: '5.25' },
    ]);
    const v1 = await queryRecords(engine, `SELECT id, status FROM ${T} VERSION AS OF 1 ORDER BY id`);
    expect(v1).toEqual([
      { id: 1, status: 'new' },
      { id: 2, status: 'new' },
    ]);
  });

  it('lists the operations in DESCRIBE HISTORY and the row changes in table_changes()', async () => {
    const history = await queryRecords(engine, `DESCRIBE HISTORY ${T}`);
    expect(history.map((h) => h['operation'])).toEqual(['MERGE', 'UPDATE', 'WRITE', 'CREATE TABLE']);
    expect(typeof history[0]!['version']).toBe('bigint');
    const changes = await queryRecords(engine, `SELECT id, _change_type, _commit_version FROM table_changes('${T}', 2) ORDER BY _commit_version, id, _change_type`);
    expect(changes).toEqual([
      { id: 1, _change_type: 'update_postimage', _commit_version: 2n },
      { id: 1, _change_type: 'update_preimage', _commit_version: 2n },
      { id: 2, _change_type: 'update_postimage', _commit_version: 3n },
      { id: 2, _change_type: 'update_preimage', _commit_version: 3n },
      { id: 3, _change_type: 'insert', _commit_version: 3n },
    ]);
  });

  it('round-trips every Spark type faithfully', async () => {
    const { columns, rows } = await queryRows(
      engine,
      `SELECT CAST(1 AS TINYINT) AS t, CAST(2 AS SMALLINT) AS s, 3 AS i, 9007199254740993L AS big,
              CAST(1.5 AS FLOAT) AS f, 2.25D AS d,
              CAST('12345678901234567890.123456789' AS DECIMAL(38,9)) AS dec_big, CAST(-0.01 AS DECIMAL(5,2)) AS dec_neg,
              true AS b, 'héllo, "world"' AS str, X'CAFE00' AS bin,
              DATE'2024-02-29' AS dt, TIMESTAMP'2024-03-10 01:02:03.123456' AS ts, TIMESTAMP_NTZ'1969-12-31 23:59:59.5' AS ntz,
              array(1, NULL, 3) AS arr, map('a', 1, 'b', NULL) AS m, named_struct('x', 1, 'y', array('p')) AS st,
              CAST(NULL AS STRING) AS n`,
    );
    expect(columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      't:tinyint',
      's:smallint',
      'i:int',
      'big:bigint',
      'f:float',
      'd:double',
      'dec_big:decimal(38,9)',
      'dec_neg:decimal(5,2)',
      'b:boolean',
      'str:string',
      'bin:binary',
      'dt:date',
      'ts:timestamp',
      'ntz:timestamp_ntz',
      'arr:array<int>',
      'm:map<string,int>',
      'st:struct<x:int,y:array<string>>',
      'n:string',
    ]);
    expect(rows[0]).toEqual([
      1,
      2,
      3,
      9007199254740993n,
      1.5,
      2.25,
      '12345678901234567890.123456789',
      '-0.01',
      true,
      'héllo, "world"',
      new Uint8Array([0xca, 0xfe, 0x00]),
      '2024-02-29',
      '2024-03-10T01:02:03.123456Z',
      '1969-12-31T23:59:59.500000',
      [1, null, 3],
      new Map<string, number | null>([
        ['a', 1],
        ['b', null],
      ]),
      { x: 1, y: ['p'] },
      null,
    ]);
  });

  it('streams a large result in several batches without losing rows', async () => {
    const result = await engine.execute('SELECT id, id * 2 AS twice FROM range(0, 300000)');
    let batches = 0;
    let count = 0;
    let sum = 0n;
    for await (const batch of result) {
      batches++;
      count += batch.length;
      for (const row of batch) sum += row[1] as bigint;
    }
    expect(count).toBe(300000);
    expect(sum).toBe(2n * ((299999n * 300000n) / 2n));
    expect(batches).toBeGreaterThan(1);
  });

  it('reports a parse error with its position and a missing table with the closest names', async () => {
    const parse = await engine.execute('SELECT 1 FORM x').catch((e: unknown) => e);
    expect(parse).toBeInstanceOf(QueryError);
    expect((parse as QueryError).kind).toBe('parse');
    expect((parse as QueryError).position).toEqual({ line: 1, column: 15 });

    const missing = await engine.execute('SELECT * FROM contract_suite.ordrs').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(QueryError);
    expect((missing as QueryError).kind).toBe('table-not-found');
    expect((missing as QueryError).suggestions).toContain('contract_suite.orders');

    const column = await engine.execute(`SELECT statuss FROM ${T}`).catch((e: unknown) => e);
    expect((column as QueryError).kind).toBe('column-not-found');
    expect((column as QueryError).suggestions[0]).toBe('status');
  });

  it('cancels a running statement when its signal aborts, and stays usable', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1500);
    const outcome = await (async () => {
      const result = await engine.execute('SELECT sum(hash(id)) FROM range(0, 200000000000)', { signal: controller.signal });
      for await (const _ of result) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect((await queryRows(engine, 'SELECT 41 + 1')).rows).toEqual([[42]]);
  });
});
