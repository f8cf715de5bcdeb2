import { describe, expect, it } from 'vitest';
import type { AddAction } from './deltaLog.js';
import { applyLimitHint, skipByHints } from './predicates.js';

function file(path: string, region: string, min: number, max: number, rows = 100): AddAction {
  const stats = JSON.stringify({ numRecords: rows, minValues: { store_id: min }, maxValues: { store_id: max }, nullCount: { store_id: 0 } });
  return { path, partitionValues: { region }, size: 1000, modificationTime: 0, dataChange: true, stats };
}

const files = [file('a', 'EU', 1, 10), file('b', 'EU', 11, 20), file('c', 'US', 1, 20)];
const column = (name: string, valueType: string) => ({ op: 'column', name, valueType });
const literal = (value: string, valueType: string) => ({ op: 'literal', value, valueType });

describe('predicate hints and limit hints', () => {
  it('skips files whose stats or partition values rule the hint out', () => {
    const hint = {
      op: 'and',
      children: [
        { op: 'equal', children: [column('region', 'string'), literal('EU', 'string')] },
        { op: 'greaterThan', children: [column('store_id', 'int'), literal('12', 'int')] },
      ],
    };
    expect(skipByHints(files, JSON.stringify(hint)).map((f) => f.path)).toEqual(['b']);
  });

  it('keeps every file when the hint is not understood or not JSON', () => {
    expect(skipByHints(files, JSON.stringify({ op: 'like', children: [] }))).toHaveLength(3);
    expect(skipByHints(files, 'store_id > 3')).toHaveLength(3);
  });

  it('serves enough files for the limit when the stats count rows', () => {
    expect(applyLimitHint(files, 150).map((f) => f.path)).toEqual(['a', 'b']);
    expect(applyLimitHint(files, undefined)).toHaveLength(3);
  });
});
