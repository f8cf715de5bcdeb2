import { describe, expect, it } from 'vitest';
import { classifyStatement, statementKind } from './statementKind.js';

// The full corpus, driven through the CLI too, is test/safety/statementCorpus.ts.
describe('statementKind', () => {
  it('follows a WITH clause to the statement it prefixes', () => {
    expect(classifyStatement('with c as (select 9 as id) insert overwrite scratch.w select * from c')).toEqual({
      kind: 'destructive',
      operation: 'INSERT OVERWRITE after a WITH clause',
    });
    expect(statementKind('WITH a (x) AS (SELECT 1), b AS (SELECT 2) INSERT INTO t SELECT * FROM a')).toBe('write');
    expect(statementKind('with a as (select 1) select * from a')).toBe('read');
  });

  it('reads MERGE clauses at the top level only, never inside strings or the source query', () => {
    expect(classifyStatement('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE').operation).toBe('MERGE with a WHEN … THEN DELETE clause');
    expect(statementKind("MERGE INTO t USING (select 'x' as c, case when 1 then 'then delete' end as d) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *")).toBe('write');
  });

  it('names what it did not recognise, and fails closed on it', () => {
    expect(classifyStatement('frobnicate t')).toEqual({ kind: 'destructive', operation: 'unrecognised statement (FROBNICATE)' });
    expect(classifyStatement("select 'open").operation).toBe("unreadable statement (unterminated 'o…)");
    expect(classifyStatement('select 1)').operation).toBe('unreadable statement (unbalanced parentheses)');
  });

  it('takes the most dangerous class of several statements', () => {
    expect(statementKind('select 1; insert into t values (1); select 2')).toBe('write');
    expect(statementKind("select ';'; truncate table t")).toBe('destructive');
  });
});
