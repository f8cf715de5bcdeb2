import { Writable } from 'node:stream';
import {
  Binary,
  Bool,
  type Data,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  makeData,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ResultStream, Row } from '../core/types.js';
import { rowsFromArrowIpc } from '../engines/arrowValues.js';
import { columnsOf, render } from './render.js';

/** A validity bitmap with a bit per flag (LSB first, as Arrow lays it out). */
function validity(valid: boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((v, i) => {
    if (v) bits[i >> 3]! |= 1 << (i & 7);
  });
  return bits;
}

function nullsOf<T>(values: (T | null)[]): { nullBitmap: Uint8Array; nullCount: number } {
  return { nullBitmap: validity(values.map((v) => v !== null)), nullCount: values.filter((v) => v === null).length };
}

function int64(values: (bigint | null)[]): Data {
  return makeData({ type: new Int64(), length: values.length, ...nullsOf(values), data: BigInt64Array.from(values, (v) => v ?? 0n) });
}

/** Decimal128 cells from their unscaled values. */
function decimal(scale: number, precision: number, values: (bigint | null)[]): Data {
  const words = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    let bits = BigInt.asUintN(128, v ?? 0n);
    for (let w = 0; w < 4; w++, bits >>= 32n) words[i * 4 + w] = Number(bits & 0xffffffffn);
  });
  return makeData({ type: new Decimal(scale, precision, 128), length: values.length, ...nullsOf(values), data: words });
}

function utf8(values: (number[] | string | null)[]): Data {
  const parts = values.map((v) => (typeof v === 'string' ? Buffer.from(v) : Uint8Array.from(v ?? [])));
  const valueOffsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (valueOffsets[i + 1] = valueOffsets[i]! + p.length));
  return makeData({ type: new Utf8(), length: values.length, ...nullsOf(values), valueOffsets, data: Buffer.concat(parts) });
}

function dates(values: (number | null)[]): Data {
  return makeData({ type: new DateDay(), length: values.length, ...nullsOf(values), data: Int32Array.from(values, (v) => v ?? 0) });
}

function timestamps(timezone: string | null, values: (bigint | null)[]): Data {
  return makeData({ type: new TimestampMicrosecond(timezone), length: values.length, ...nullsOf(values), data: BigInt64Array.from(values, (v) => v ?? 0n) });
}

function batchOf(columns: Record<string, Data>): RecordBatch {
  const fields = Object.entries(columns).map(([name, data]) => new Field(name, data.type, true));
  const length = Object.values(columns)[0]!.length;
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children: Object.values(columns) }));
}

const ROWS = 9;
const LONG_TEXT = 'x'.repeat(80);

/** Every type Spark sends, with the edge values of each: extremes, nulls, text that needs quotes, out-of-range dates. */
const EVERY_TYPE = batchOf({
  tiny: vectorFromArray([-128, 127, 0, null, 5, -1, 1, 2, 3], new Int8()).data[0]!,
  small: vectorFromArray([-32768, 32767, 0, null, 5, -1, 1, 2, 3], new Int16()).data[0]!,
  int: vectorFromArray([-2147483648, 2147483647, 0, null, 5, -1, 1, 2, 3], new Int32()).data[0]!,
  big: int64([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n, -(2n ** 53n) + 1n, 0n, null, -1n]),
  float: vectorFromArray([1.5, 0.1, NaN, -Infinity, -0, 3.4e38, null, 1e-7, 16777217], new Float32()).data[0]!,
  double: vectorFromArray([0.1, 1e21, 1e-7, NaN, Infinity, -0, 5e-324, null, 123456789.125], new Float64()).data[0]!,
  dec_big: decimal(9, 38, [0n, 5n, -5n, 2n ** 53n - 1n, -(2n ** 53n), 2n ** 53n, 2n ** 64n, -(2n ** 127n), null]),
  dec_neg: decimal(2, 5, [-1n, -99999n, 1n, 0n, null, 12345n, -10n, 100n, 7n]),
  dec_cents: decimal(2, 18, [2n ** 53n - 1n, -(2n ** 53n - 1n), 123_456_789_012n, 2n ** 31n, -(2n ** 31n) - 1n, null, 5n, -5n, 2n ** 53n]),
  dec_whole: decimal(0, 18, [0n, -1n, 9999999999n, -9999999999n, null, 10n ** 15n + 7n, 2n ** 53n, -(2n ** 60n), -(10n ** 12n)]),
  dec_all_fraction: decimal(38, 38, [1n, -1n, 10n ** 37n, -(10n ** 38n - 1n), null, 0n, 2n ** 52n, 5n, 10n ** 16n]),
  bool: vectorFromArray([true, false, null, true, true, false, null, false, true], new Bool()).data[0]!,
  text: utf8(['plain', 'comma, here', 'say "hi"', 'line\nbreak', 'cr\rx', 'héllo ✓ 😀', '', null, `${LONG_TEXT},"`]),
  // Not valid UTF-8 cell by cell: a lone byte, and a character split across two cells.
  bad_text: utf8([[0xff], [0x61, 0xc3], [0xa9, 0x62], [], null, [0xe2, 0x82], LONG_TEXT, 'ok', [0x22, 0xc3]]),
  // Valid UTF-8 as a whole, but one character split across two cells.
  split_text: utf8(['a', [0x61, 0xc3], [0xa9, 0x62], 'é', '', null, 'x', 'y', 'z']),
  day: dates([0, -1, 19_782, -719_162, 2_932_896, -719_529, 2_932_897, null, -800_000]),
  ts: timestamps('UTC', [0n, -1n, 1_709_600_000_123_456n, 253_402_300_799_999_999n, -(2n ** 62n), null, 2n ** 53n, -(2n ** 53n) + 1n, 500_000n]),
  ntz: timestamps(null, [0n, -1n, 1_709_600_000_123_456n, null, -(2n ** 53n), 86_400_000_000n, 1n, -500_000n, 2n ** 60n]),
  bin: vectorFromArray([new Uint8Array([0xca, 0xfe]), null, new Uint8Array(), new Uint8Array([0]), null, null, null, null, null], new Binary()).data[0]!,
  arr: vectorFromArray([[1, null, 3], [], null, [4], [5], [6], [7], [8], [9]], new List(new Field('element', new Int32(), true))).data[0]!,
  st: vectorFromArray(
    [{ x: 1, y: 'p, "q"' }, null, { x: null, y: null }, { x: 2, y: 'r' }, { x: 3, y: 's' }, { x: 4, y: 't' }, { x: 5, y: 'u' }, { x: 6, y: 'v' }, { x: 7, y: 'w' }],
    new Struct([new Field('x', new Int32(), true), new Field('y', new Utf8(), true)]),
  ).data[0]!,
  nothing: makeData({ type: new Null(), length: ROWS }),
});

/** A result offering both views of the same batches, as the local engine's does. */
function resultOf(batches: RecordBatch[], withArrow: boolean): ResultStream {
  const names = batches[0]!.schema.fields.map((f) => f.name);
  const rows = async function* (): AsyncGenerator<Row[]> {
    for (const batch of batches) yield rowsFromArrowIpc(tableToIPC(new Table(batch), 'stream'));
  };
  const arrowBatches = async function* (): AsyncGenerator<RecordBatch> {
    yield* batches;
  };
  return { columns: columnsOf(names), [Symbol.asyncIterator]: rows, ...(withArrow ? { arrowBatches } : {}) };
}

async function csv(result: ResultStream, limit?: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(Buffer.from(chunk)), cb()) });
  await render(out, { kind: 'table', columns: result.columns, rows: result }, { format: 'csv', color: false, ...(limit !== undefined ? { limit } : {}) });
  return Buffer.concat(chunks);
}

describe('CSV from Arrow columns', () => {
  it('writes every type byte for byte as the row path does', async () => {
    const fast = await csv(resultOf([EVERY_TYPE], true));
    expect(fast.toString('utf8')).toBe((await csv(resultOf([EVERY_TYPE], false))).toString('utf8'));
    expect(fast.equals(await csv(resultOf([EVERY_TYPE], false)))).toBe(true);
  });

  it('writes the values a reader expects', async () => {
    const lines = (await csv(resultOf([EVERY_TYPE], true))).toString('utf8').split('\r\n');
    const header = lines[0]!.split(',');
    // The columns before `text` hold no commas, so a plain split finds them.
    const cell = (row: number, column: string): string => lines[row + 1]!.split(',')[header.indexOf(column)]!;
    expect(cell(0, 'big')).toBe('-9223372036854775808');
    expect(cell(4, 'big')).toBe('9007199254740991');
    expect(cell(5, 'big')).toBe('-9007199254740991');
    expect(cell(7, 'dec_big')).toBe('-170141183460469231731687303715.884105728');
    expect(cell(3, 'dec_big')).toBe('9007199.254740991');
    expect(cell(1, 'dec_neg')).toBe('-999.99');
    expect(cell(0, 'dec_cents')).toBe('90071992547409.91');
    expect(cell(1, 'dec_cents')).toBe('-90071992547409.91');
    expect(cell(0, 'dec_all_fraction')).toBe('0.00000000000000000000000000000000000001');
    expect(cell(3, 'int')).toBe('');
    expect(cell(5, 'dec_whole')).toBe('1000000000000007');
    expect(lines[2]).toContain(',"comma, here",');
    expect(lines[4]).toContain(',0001-01-01,');
    expect(lines[5]).toContain(',9999-12-31,');
    expect(lines[3]).toContain(',2024-03-05T00:53:20.123456Z,2024-03-05T00:53:20.123456,');
  });

  it('matches the row path on sliced batches and over several batches with a limit', async () => {
    const batches = [EVERY_TYPE.slice(3), EVERY_TYPE.slice(1, 6), EVERY_TYPE];
    expect((await csv(resultOf(batches, true))).equals(await csv(resultOf(batches, false)))).toBe(true);
    for (const limit of [0, 2, 6, 7, 100]) {
      expect((await csv(resultOf(batches, true), limit)).equals(await csv(resultOf(batches, false), limit))).toBe(true);
    }
  });

  it('grows its buffer for rows far longer than the last batch', async () => {
    const long = 'y'.repeat(100_000);
    const batches = [batchOf({ t: utf8(['a', 'b']) }), batchOf({ t: utf8([long, `${long},`, 'c']) })];
    const fast = await csv(resultOf(batches, true));
    expect(fast.equals(await csv(resultOf(batches, false)))).toBe(true);
    expect(fast.length).toBe('t\r\na\r\nb\r\n'.length + (100_000 + 2) + (100_000 + 5) + 'c\r\n'.length);
  });
});
