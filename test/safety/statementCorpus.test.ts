import { describe, expect, it } from 'vitest';
import { classifyStatement } from '../../src/sql/statementKind.js';
import { STATEMENT_CORPUS } from './statementCorpus.js';

describe('the write gate classes every statement of the corpus', () => {
  it('holds at least 40 statements, with reads, writes and destructive ones among them', () => {
    expect(STATEMENT_CORPUS.length).toBeGreaterThanOrEqual(40);
    for (const kind of ['read', 'write', 'destructive'] as const) expect(STATEMENT_CORPUS.some((s) => s.kind === kind)).toBe(true);
  });

  it.each(STATEMENT_CORPUS.map((s) => [s.kind, s.sql] as const))('%s: %s', (kind, sql) => {
    expect(classifyStatement(sql).kind).toBe(kind);
  });
});
