import { describe, expect, it } from 'vitest';
import { classifyLine } from './lineKind.js';

describe('REPL lines', () => {
  it('treats a leading command name or colon as a command', () => {
    expect(classifyLine('history gold.dim_customer', '')).toEqual({ kind: 'command', line: 'history gold.dim_customer' });
    expect(classifyLine(':env qa', '')).toEqual({ kind: 'command', line: 'env qa' });
  });
  it('treats anything else as SQL, complete at a final semicolon', () => {
    expect(classifyLine('select 1', '')).toEqual({ kind: 'sql', text: 'select 1', complete: false });
    expect(classifyLine('  from t;', 'select *')).toEqual({ kind: 'sql', text: 'select *\n  from t;', complete: true });
    // `describe x;` is SQL: the semicolon says so, even though `describe` is also a command.
    expect(classifyLine('describe x;', '')).toMatchObject({ kind: 'sql', complete: true });
  });
  it('knows how to leave', () => {
    expect(classifyLine('quit', '').kind).toBe('quit');
    expect(classifyLine(':q', '').kind).toBe('quit');
    expect(classifyLine('   ', '').kind).toBe('empty');
  });
});
