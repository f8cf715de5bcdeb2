import { type Data, type DataType, type RecordBatch, RecordBatchReader, TimeUnit, Type } from 'apache-arrow';
import type { Row, Value } from '../core/types.js';

type ValueAt = (index: number) => Value;

const MICROS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1n,
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The date of a day number (days since 1970-01-01, proleptic Gregorian, like Spark) as one number,
 * year * 10000 + month * 100 + day (2024-03-05 → 20240305): no array per value on hot paths.
 */
export function dateKey(days: number): number {
  // Integer arithmetic over 400-year eras (H. Hinnant's civil_from_days): no Date objects per value.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  // From here on every operand is a small non-negative integer, so `| 0` floors.
  const doe = z - era * 146_097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36_524) | 0) - ((doe / 146_096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const day = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (month <= 2 ? 1 : 0)) * 10_000 + month * 100 + day;
}

/** `YYYY-MM-DD` for days since 1970-01-01. */
export function formatDate(days: number): string {
  const key = dateKey(days);
  const year = Math.floor(key / 10_000);
  const monthDay = key - year * 10_000;
  return `${String(year).padStart(4, '0')}-${pad2(Math.floor(monthDay / 100))}-${pad2(monthDay % 100)}`;
}

const MICROS_PER_DAY = 86_400_000_000;
const MAX_EXACT_MICROS = 9_007_199_254_740_991n;

/** ISO-8601 with microseconds; `Z` for instants (timestamp), no zone for local times (timestamp_ntz). */
export function formatTimestamp(micros: bigint, withZone: boolean): string {
  // Number arithmetic is exact below 2^53 µs (about 1685–2255), where nearly all data lives.
  if (micros < MAX_EXACT_MICROS && micros > -MAX_EXACT_MICROS) return formatTimestampMicros(Number(micros), withZone);
  let wholeDays = micros / 86_400_000_000n;
  if (micros % 86_400_000_000n < 0n) wholeDays -= 1n;
  return timestampText(Number(wholeDays), Number(micros - wholeDays * 86_400_000_000n), withZone);
}

/** formatTimestamp for microseconds that fit a number exactly (|µs| < 2^53). */
export function formatTimestampMicros(micros: number, withZone: boolean): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  return timestampText(days, micros - days * MICROS_PER_DAY, withZone);
}

function timestampText(days: number, microsOfDay: number, withZone: boolean): string {
  let rest = microsOfDay;
  const hours = Math.floor(rest / 3_600_000_000);
  rest -= hours * 3_600_000_000;
  const minutes = Math.floor(rest / 60_000_000);
  rest -= minutes * 60_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const fraction = rest - seconds * 1_000_000;
  return `${formatDate(days)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${String(fraction).padStart(6, '0')}${withZone ? 'Z' : ''}`;
}

const TWO_32 = 4_294_967_296;

function withScale(negative: boolean, digits: string, scale: number): string {
  if (scale > 0) {
    const padded = digits.padStart(scale + 1, '0');
    digits = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Exact decimal text from a 128-bit two's-complement integer (four little-endian 32-bit words). */
export function formatDecimal(words: Uint32Array, at: number, scale: number): string {
  const w0 = words[at]!;
  const w1 = words[at + 1]!;
  const w2 = words[at + 2]!;
  const w3 = words[at + 3]!;
  // Most values fit in 53 bits: plain number arithmetic is exact there and far cheaper than BigInt.
  if (w3 === 0 && w2 === 0 && w1 < 0x200000) return withScale(false, String(w1 * TWO_32 + w0), scale);
  if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= 0xffe00000) return withScale(true, String(-((w1 - TWO_32) * TWO_32 + w0)), scale);
  let unscaled = 0n;
  for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[at + w]!);
  if (unscaled >= 1n << 127n) unscaled -= 1n << 128n;
  const negative = unscaled < 0n;
  return withScale(negative, (negative ? -unscaled : unscaled).toString(), scale);
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

/** The record batches of one Arrow IPC stream (schema + batches), as Spark Connect sends them. */
export function recordBatches(ipc: Uint8Array): RecordBatch[] {
  return [...RecordBatchReader.from(ipc)];
}

/** Decodes one Arrow IPC stream (schema + record batches) into row arrays. */
export function rowsFromArrowIpc(ipc: Uint8Array): Row[] {
  const rows: Row[] = [];
  for (const batch of recordBatches(ipc)) {
    const readers = batch.data.children.map((child) => valueReader(child));
    for (let i = 0; i < batch.numRows; i++) {
      const row: Row = new Array(readers.length);
      for (let c = 0; c < readers.length; c++) row[c] = readers[c]!(i);
      rows.push(row);
    }
  }
  return rows;
}
