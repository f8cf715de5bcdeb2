import { isUtf8 } from 'node:buffer';
import { type Data, type DataType, Precision, type RecordBatch, TimeUnit, Type } from 'apache-arrow';
import { dateKey, formatDecimal, formatTimestampMicros, valueReader } from '../engines/arrowValues.js';
import { csvCell } from './values.js';

/*
 * CSV straight from Arrow columns: each cell's bytes go into one buffer per batch, read from the
 * Arrow buffers without a JS value per cell (no row arrays, no BigInt for longs, strings copied as
 * bytes). The text is byte for byte what the row path (valueReader + csvCell) writes; types without
 * a fast writer here go through that path cell by cell.
 */

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const MINUS = 45;
const TWO_32 = 4_294_967_296;
/** Longs between ±2^53 are exact as numbers; their high word then lies in [-2^21, 2^21). */
const SAFE_HIGH_WORD = 0x200000;
/** Strings up to this many bytes are copied in the loop that looks for characters to quote. */
const SHORT_FIELD = 64;

const BILLION = 1_000_000_000;

/** Digit count of a non-negative integer below 2^53. */
function digitCount(n: number): number {
  if (n < BILLION) {
    let count = 1;
    for (let limit = 10; limit <= n; limit *= 10) count++;
    return count;
  }
  return 9 + digitCount((n - (n % BILLION)) / BILLION);
}

/** Writes the low digits of `n` backwards into bytes[from, to); returns the digits left over. */
function digitsBackward(bytes: Buffer, n: number, from: number, to: number): number {
  if (n > 0x7fffffff && to - from > 9) {
    // Nine digits at a time: `%` and the division by the remainder-free part are exact below 2^53,
    // and each part then fits the integer arithmetic below.
    const low = n % BILLION;
    digitsBackward(bytes, low, to - 9, to);
    return digitsBackward(bytes, (n - low) / BILLION, from, to - 9);
  }
  while (n > 0x7fffffff) {
    if (to === from) return n;
    const quotient = Math.floor(n / 10); // exact below 2^53
    bytes[--to] = 48 + (n - quotient * 10); // the digit first: 48 + n may not be exact
    n = quotient;
  }
  let small = n | 0;
  while (to > from) {
    const quotient = (small / 10) | 0;
    bytes[--to] = 48 + small - quotient * 10;
    small = quotient;
  }
  return small;
}

/** The growing output of one batch. */
class CsvBytes {
  bytes: Buffer;
  pos = 0;
  /** Room kept free beyond any reservation: what the rest of the current row may need. */
  slack = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Makes room for `n` more bytes (and the slack); the writers below assume it was called. */
  reserve(n: number): void {
    const needed = this.pos + n + this.slack;
    if (needed <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, needed));
    this.bytes.copy(bigger, 0, 0, this.pos);
    this.bytes = bigger;
  }

  byte(b: number): void {
    this.bytes[this.pos++] = b;
  }

  /** A non-negative integer below 2^53 in decimal, zero-padded to `minDigits`. */
  digits(n: number, minDigits = 1): void {
    const start = this.pos;
    this.pos += Math.max(digitCount(n), minDigits);
    digitsBackward(this.bytes, n, start, this.pos);
  }

  /** A date key (year * 10000 + month * 100 + day, years 0 to 9999) as YYYY-MM-DD. */
  date(key: number): void {
    const at = this.pos;
    const bytes = this.bytes;
    const yearMonth = digitsBackward(bytes, key, at + 8, at + 10);
    bytes[at + 7] = MINUS;
    const year = digitsBackward(bytes, yearMonth, at + 5, at + 7);
    bytes[at + 4] = MINUS;
    digitsBackward(bytes, year, at, at + 4);
    this.pos = at + 10;
  }

  /** An integer between ±2^53, as String(n) writes it. */
  integer(n: number): void {
    if (n < 0) {
      this.bytes[this.pos++] = MINUS;
      n = -n;
    }
    this.digits(n);
  }

  /** A non-negative integer below 2^53 divided by 10^scale, as the row path's decimal text. */
  scaled(n: number, scale: number): void {
    if (scale <= 0) return this.digits(n);
    // The last `scale` digits go after the point; at least one digit goes before it.
    const start = this.pos;
    const end = start + Math.max(digitCount(n), scale + 1) + 1;
    const point = end - scale - 1;
    this.pos = end;
    const before = digitsBackward(this.bytes, n, point + 1, end);
    this.bytes[point] = 46;
    digitsBackward(this.bytes, before, start, point);
  }

  /** Text known to be ASCII (numbers, dates, timestamps) that fits the column's width. */
  ascii(text: string): void {
    this.pos += this.bytes.write(text, this.pos, 'latin1');
  }

  /** Any text, as UTF-8; reserves its own room. */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.pos += this.bytes.write(text, this.pos, 'utf8');
  }

  /** UTF-8 bytes of one field, quoted (quotes doubled) when they hold a comma, quote, CR or LF; reserves its own room. */
  field(source: Buffer, start: number, end: number): void {
    this.reserve(2 * (end - start) + 2);
    const bytes = this.bytes;
    if (end - start <= SHORT_FIELD) {
      // Copy while looking: most fields need no quotes, and this skips a second pass.
      let at = this.pos;
      let j = start;
      for (; j < end; j++) {
        const b = source[j]!;
        if (b === QUOTE || b === COMMA || b === LF || b === CR) break;
        bytes[at++] = b;
      }
      if (j === end) {
        this.pos = at;
        return;
      }
    } else if (!needsQuotes(source, start, end)) {
      this.pos += source.copy(bytes, this.pos, start, end);
      return;
    }
    let at = this.pos;
    bytes[at++] = QUOTE;
    for (let j = start; j < end; j++) {
      const b = source[j]!;
      if (b === QUOTE) bytes[at++] = QUOTE;
      bytes[at++] = b;
    }
    bytes[at++] = QUOTE;
    this.pos = at;
  }
}

function needsQuotes(source: Uint8Array, start: number, end: number): boolean {
  for (let j = start; j < end; j++) {
    const b = source[j]!;
    if (b === QUOTE || b === COMMA || b === LF || b === CR) return true;
  }
  return false;
}

/** Writes the cell of one row. */
type CellWriter = (row: number) => void;

/** A column's writer and the most bytes one cell takes (0: the writer reserves its own room). */
interface ColumnWriter {
  write: CellWriter;
  width: number;
}

function integerCells(out: CsvBytes, data: Data): ColumnWriter | undefined {
  const type = data.type as DataType & { bitWidth: number; isSigned: boolean };
  if (type.bitWidth < 64) {
    const values = data.values as Int32Array;
    return { write: (i) => out.integer(values[i]!), width: 11 };
  }
  if (!type.isSigned) return undefined;
  // Both 32-bit halves of each long, so the common values need no BigInt.
  const longs = data.values as BigInt64Array;
  const words = new Int32Array(longs.buffer, longs.byteOffset, longs.length * 2);
  return {
    write: (i) => {
      const high = words[2 * i + 1]!;
      if (high >= -SAFE_HIGH_WORD && high < SAFE_HIGH_WORD) out.integer(high * TWO_32 + (words[2 * i]! >>> 0));
      else out.ascii(String(longs[i]));
    },
    width: 20,
  };
}

function decimalCells(out: CsvBytes, data: Data): ColumnWriter | undefined {
  const type = data.type as DataType & { bitWidth: number; scale: number };
  if (type.bitWidth !== 128) return undefined;
  const words = data.values as Uint32Array;
  const scale = type.scale;
  return {
    write: (i) => {
      const at = i * 4;
      const w1 = words[at + 1]!;
      const w2 = words[at + 2]!;
      const w3 = words[at + 3]!;
      if (w3 === 0 && w2 === 0 && w1 < SAFE_HIGH_WORD) return out.scaled(w1 * TWO_32 + words[at]!, scale);
      if (w3 === 0xffffffff && w2 === 0xffffffff && w1 >= TWO_32 - SAFE_HIGH_WORD) {
        out.byte(MINUS);
        return out.scaled(-((w1 - TWO_32) * TWO_32 + words[at]!), scale);
      }
      out.ascii(formatDecimal(words, at, scale));
    },
    // Sign, 39 digits, point and a leading zero.
    width: 42 + Math.max(scale, 0),
  };
}

function textCells(out: CsvBytes, data: Data): ColumnWriter {
  const offsets = data.valueOffsets as Int32Array;
  const values = data.values as Uint8Array;
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  // Valid UTF-8 as a whole is valid field by field where every field starts and ends between
  // characters; otherwise each field is checked, and invalid ones decoded (U+FFFD) as the row path does.
  const rangeEnd = offsets[data.length]!;
  const allValid = isUtf8(bytes.subarray(offsets[0], rangeEnd));
  const between = (at: number): boolean => at === rangeEnd || (bytes[at]! & 0xc0) !== 0x80;
  return {
    write: (i) => {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      if ((allValid && between(start) && between(end)) || isUtf8(bytes.subarray(start, end))) out.field(bytes, start, end);
      else out.text(csvCell(bytes.toString('utf8', start, end)));
    },
    width: 0,
  };
}

function dateCells(out: CsvBytes, data: Data): ColumnWriter | undefined {
  if ((data.type as DataType & { unit: number }).unit !== 0) return undefined;
  const days = data.values as Int32Array;
  const fallback = valueReader(data);
  return {
    write: (i) => {
      const key = dateKey(days[i]!);
      if (key < 0 || key > 99_991_231) return out.ascii(fallback(i) as string);
      out.date(key);
    },
    width: 24,
  };
}

function timestampCells(out: CsvBytes, data: Data): ColumnWriter | undefined {
  const type = data.type as DataType & { unit: number; timezone?: string | null };
  if (type.unit !== TimeUnit.MICROSECOND) return undefined;
  const micros = data.values as BigInt64Array;
  const words = new Int32Array(micros.buffer, micros.byteOffset, micros.length * 2);
  const withZone = Boolean(type.timezone);
  const fallback = valueReader(data);
  return {
    write: (i) => {
      const high = words[2 * i + 1]!;
      out.ascii(high >= -SAFE_HIGH_WORD && high < SAFE_HIGH_WORD ? formatTimestampMicros(high * TWO_32 + (words[2 * i]! >>> 0), withZone) : (fallback(i) as string));
    },
    width: 48,
  };
}

/** The fast writer for a column's type, when there is one (null cells are handled by the caller). */
function typedCells(out: CsvBytes, data: Data): ColumnWriter | undefined {
  switch (data.typeId) {
    case Type.Int:
      return integerCells(out, data);
    case Type.Float: {
      if ((data.type as DataType & { precision: Precision }).precision === Precision.HALF) return undefined;
      const values = data.values as Float32Array | Float64Array;
      return { write: (i) => out.ascii(String(values[i])), width: 32 };
    }
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      const offset = data.offset;
      return { write: (i) => out.ascii((bits[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1 ? 'true' : 'false'), width: 5 };
    }
    case Type.Decimal:
      return decimalCells(out, data);
    case Type.Utf8:
      return textCells(out, data);
    case Type.Date:
      return dateCells(out, data);
    case Type.Timestamp:
      return timestampCells(out, data);
    default:
      return undefined;
  }
}

function columnWriter(out: CsvBytes, data: Data): ColumnWriter {
  if (data.typeId === Type.Null) return { write: () => undefined, width: 0 };
  const typed = typedCells(out, data);
  if (!typed) {
    const read = valueReader(data);
    return { write: (i) => out.text(csvCell(read(i))), width: 0 };
  }
  if (data.nullCount === 0) return typed;
  const validity = data.nullBitmap!;
  const offset = data.offset;
  const write = typed.write;
  return {
    write: (i) => {
      if ((validity[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) write(i);
    },
    width: typed.width,
  };
}

/**
 * Formats record batches as CSV rows (CRLF line ends, no header), one chunk per batch. The memory
 * of a chunk handed back with `reuse` takes a later batch: fewer large allocations, less GC.
 */
export class ArrowCsvEncoder {
  /** Bytes per row of the last batch, to size the next one's buffer. */
  private bytesPerRow = 64;
  private spare: Buffer | undefined;
  private last: Buffer | undefined;

  encode(batch: RecordBatch): Buffer {
    const rows = batch.numRows;
    const capacity = Math.ceil(rows * this.bytesPerRow * 1.1) + 1024;
    const out = new CsvBytes(this.spare && this.spare.length >= capacity ? this.spare : Buffer.allocUnsafe(Math.ceil(capacity * 1.25)));
    this.spare = undefined;
    const columns = batch.data.children.map((column) => columnWriter(out, column));
    const cells = columns.map((c) => c.write);
    // Room for the fixed-width cells and separators of a row, reserved once per row.
    out.slack = columns.reduce((sum, c) => sum + c.width + 1, 2);
    for (let i = 0; i < rows; i++) {
      out.reserve(0);
      for (let c = 0; c < cells.length; c++) {
        if (c > 0) out.byte(COMMA);
        cells[c]!(i);
      }
      out.byte(CR);
      out.byte(LF);
    }
    if (rows > 0) this.bytesPerRow = out.pos / rows;
    this.last = out.bytes;
    return out.bytes.subarray(0, out.pos);
  }

  /** The last chunk has been written out; its memory may be filled again. */
  reuse(): void {
    this.spare = this.last;
  }
}
