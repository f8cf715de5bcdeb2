import { describe, expect, it } from 'vitest';
import { declaredTables } from './declaredTables.js';

describe('declaredTables', () => {
  it('reads names and types, past comments, nested types and constraints', () => {
    const sql = [
      '-- CREATE TABLE commented_out (x INT);',
      'CREATE TABLE IF NOT EXISTS cat.s.t (',
      '  id BIGINT NOT NULL,',
      "  note STRING COMMENT 'a, (b) -- not a comment',",
      '  price DECIMAL(12, 2),',
      '  attrs MAP<STRING, STRING>,',
      '  `Mixed Case` ARRAY<STRUCT<a: INT, b: STRING>> DEFAULT NULL,',
      '  CONSTRAINT pk PRIMARY KEY (id)',
      ') USING DELTA TBLPROPERTIES (delta.enableChangeDataFeed = true);',
      'CREATE OR REPLACE TABLE cat.s.u (v INT);',
      'CREATE TABLE cat.s.ctas AS SELECT 1;',
    ].join('\n');
    expect(declaredTables(sql)).toEqual([
      {
        name: 'cat.s.t',
        columns: [
          { name: 'id', type: 'bigint' },
          { name: 'note', type: 'string' },
          { name: 'price', type: 'decimal(12,2)' },
          { name: 'attrs', type: 'map<string,string>' },
          { name: 'mixed case', type: 'array<struct<a:int,b:string>>' },
        ],
      },
      { name: 'cat.s.u', columns: [{ name: 'v', type: 'int' }] },
    ]);
  });
});
