import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Row } from '../core/types.js';
import { columnsOf, render, type OutputFormat } from './render.js';

async function rendered(format: OutputFormat, rows: Row[] | AsyncIterable<Row[]>, limit?: number): Promise<string> {
  let text = '';
  const out = new Writable({ write: (chunk, _e, cb) => ((text += chunk.toString()), cb()) });
  await render(out, { kind: 'table', columns: columnsOf(['id', 'v']), rows }, { format, color: false, ...(limit !== undefined ? { limit } : {}) });
  return text;
}

const ROWS: Row[] = [
  [1n, 'plain'],
  [2n, 'comma, "quote"\nnewline'],
  [9007199254740993n, null],
  [4n, new Map([['k', [1, 2]]])],
  [5n, new Uint8Array([1, 255])],
];

describe('output renderers', () => {
  it('writes RFC 4180 CSV', async () => {
    expect(await rendered('csv', ROWS)).toBe('id,v\r\n1,plain\r\n2,"comma, ""quote""\nnewline"\r\n9007199254740993,\r\n4,"{""k"":[1,2]}"\r\n5,Af8=\r\n');
  });

  it('writes a JSON array that keeps every digit of a long', async () => {
    const text = await rendered('json', ROWS);
    expect(text).toContain('{"id":9007199254740993,"v":null}');
    expect(JSON.parse(text.replace('9007199254740993', '0'))).toHaveLength(5);
    expect(await rendered('json', [])).toBe('[]\n');
  });

  it('stops a streamed result at the limit and closes the stream', async () => {
    let closed = false;
    async function* batches(): AsyncGenerator<Row[]> {
      try {
        for (let i = 0; ; i++) yield [[BigInt(i), 'x']];
      } finally {
        closed = true;
      }
    }
    expect(await rendered('csv', batches(), 3)).toBe('id,v\r\n0,x\r\n1,x\r\n2,x\r\n');
    expect(closed).toBe(true);
  });

  it('draws a table with NULL for missing values', async () => {
    const text = await rendered('table', ROWS.slice(2, 3));
    expect(text).toContain('9007199254740993');
    expect(text).toContain('NULL');
  });
});
