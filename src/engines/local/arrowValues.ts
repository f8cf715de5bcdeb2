import { type Data, type DataType, RecordBatchReader, TimeUnit, Type } from 'apache-arrow';
import type { Row, Value } from '../../core/types.js';

type ValueAt = (index: number) => Value;

const MICROS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1n,
};

/** `YYYY-MM-DD` for days since 1970-01-01 (proleptic Gregorian, like Spark). */
export function formatDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** ISO-8601 with microseconds; `Z` for instants (timestamp), no zone for local times (timestamp_ntz). */
export function formatTimestamp(micros: bigint, withZone: boolean): string {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const subMillis = Number(micros - millis * 1000n);
  const iso = new Date(Number(millis)).toISOString(); // 2024-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${String(subMillis).padStart(3, '0')}${withZone ? 'Z' : ''}`;
}

/** Exact decimal text from a 128-bit two's-complement integer (four little-endian 32-bit words). */
export function formatDecimal(words: Uint32Array, at: number, scale: number): string {
  let unscaled = 0n;
  for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[at + w]!);
  if (unscaled >= 1n << 127n) unscaled -= 1n << 128n;
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

function withNulls(data: Data, read: ValueAt): ValueAt {
  if (data.nullCount === 0) return read;
  return (i) => (data.getValid(i) ? read(i) : null);
}

function textReader(data: Data): ValueAt {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const bytes = data.values as Uint8Array;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return (i) => buffer.toString('utf8', Number(offsets[i]), Number(offsets[i + 1]));
}

/** A function giving the JS value at each index of one Arrow column chunk. */
export function valueReader(data: Data): ValueAt {
  const type = data.type as DataType & Record<string, unknown>;
  let read: ValueAt;
  switch (data.typeId) {
    case Type.Null:
      return () => null;
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      const offset = data.offset;
      read = (i) => ((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
      break;
    }
    case Type.Int: {
      const values = data.values as ArrayLike<number | bigint>;
      read = (i) => values[i]!;
      break;
    }
    case Type.Float: {
      const values = data.values as Float32Array | Float64Array;
      read = (i) => values[i]!;
      break;
    }
    case Type.Decimal: {
      const words = data.values as Uint32Array;
      const scale = type['scale'] as number;
      const stride = (type['bitWidth'] as number) / 32;
      read = stride === 4 ? (i) => formatDecimal(words, i * 4, scale) : (i) => String(words[i * stride]);
      break;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
      read = textReader(data);
      break;
    case Type.Binary:
    case Type.LargeBinary: {
      const offsets = data.valueOffsets as Int32Array | BigInt64Array;
      const bytes = data.values as Uint8Array;
      read = (i) => bytes.slice(Number(offsets[i]), Number(offsets[i + 1]));
      break;
    }
    case Type.Date: {
      const values = data.values as Int32Array | BigInt64Array;
      read = type['unit'] === 0 ? (i) => formatDate(Number(values[i])) : (i) => formatDate(Math.floor(Number(values[i]) / 86_400_000));
      break;
    }
    case Type.Timestamp: {
      const values = data.values as BigInt64Array;
      const toMicros = MICROS_PER_UNIT[type['unit'] as number];
      const withZone = Boolean(type['timezone']);
      read = toMicros === undefined ? (i) => formatTimestamp(values[i]! / 1000n, withZone) : (i) => formatTimestamp(values[i]! * toMicros, withZone);
      break;
    }
    case Type.Duration: {
      const values = data.values as BigInt64Array;
      const toMicros = MICROS_PER_UNIT[type['unit'] as number] ?? 1n;
      read = (i) => `PT${Number(values[i]! * toMicros) / 1e6}S`;
      break;
    }
    case Type.List:
    case Type.LargeList: {
      const offsets = data.valueOffsets as Int32Array;
      const child = valueReader(data.children[0]!);
      read = (i) => {
        const items: Value[] = [];
        for (let j = Number(offsets[i]); j < Number(offsets[i + 1]); j++) items.push(child(j));
        return items;
      };
      break;
    }
    case Type.Map: {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0]!;
      const key = valueReader(entries.children[0]!);
      const value = valueReader(entries.children[1]!);
      read = (i) => {
        const map = new Map<Value, Value>();
        for (let j = Number(offsets[i]); j < Number(offsets[i + 1]); j++) map.set(key(j), value(j));
        return map;
      };
      break;
    }
    case Type.Struct: {
      const names = (type['children'] as { name: string }[]).map((f) => f.name);
      const fields = data.children.map((child) => valueReader(child));
      read = (i) => {
        const record: { [field: string]: Value } = {};
        for (let f = 0; f < fields.length; f++) record[names[f]!] = fields[f]!(i);
        return record;
      };
      break;
    }
    default: {
      // Anything else (intervals, unions): Arrow's own JS value, as text.
      read = (i) => {
        const raw: unknown = (data as unknown as { get?: (i: number) => unknown }).get?.(i);
        return raw === undefined ? null : String(raw);
      };
    }
  }
  return withNulls(data, read);
}

/** Decodes one Arrow IPC stream (schema + record batches) into row arrays. */
export function rowsFromArrowIpc(ipc: Uint8Array): Row[] {
  const rows: Row[] = [];
  for (const batch of RecordBatchReader.from(ipc)) {
    const readers = batch.data.children.map((child) => valueReader(child));
    for (let i = 0; i < batch.numRows; i++) {
      const row: Row = new Array(readers.length);
      for (let c = 0; c < readers.length; c++) row[c] = readers[c]!(i);
      rows.push(row);
    }
  }
  return rows;
}
