import { describe, expect, it } from 'vitest';
import { statementKind } from './statementKind.js';

describe('statementKind', () => {
  it('tells reads, writes and destructive statements apart', () => {
    expect(statementKind('select 1')).toBe('read');
    expect(statementKind('-- note\n  WITH x AS (select 1) select * from x')).toBe('read');
    expect(statementKind('describe history gold.dim_customer')).toBe('read');
    expect(statementKind('set spark.sql.ansi.enabled = true')).toBe('read');
    expect(statementKind('insert into t values (1)')).toBe('write');
    expect(statementKind('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE')).toBe('write');
    expect(statementKind('optimize t zorder by (id)')).toBe('write');
    expect(statementKind('insert overwrite t select 1')).toBe('destructive');
    expect(statementKind('/* x */ DROP TABLE t')).toBe('destructive');
    expect(statementKind('create or replace table t as select 1')).toBe('destructive');
    expect(statementKind('alter table t drop column c')).toBe('destructive');
    expect(statementKind('vacuum t retain 168 hours')).toBe('destructive');
  });
});
