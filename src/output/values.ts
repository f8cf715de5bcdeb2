import type { Value } from '../core/types.js';

function isRecord(value: Value): value is { [field: string]: Value } {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !(value instanceof Map) && !Array.isArray(value);
}

/** A value as JSON text. Longs keep every digit (JSON numbers have no size limit); binary is base64. */
export function jsonValue(value: Value): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
  }
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(jsonValue).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value.entries()];
    // Maps with text keys read naturally as objects; other keys keep their type as [key, value] pairs.
    if (entries.every(([k]) => typeof k === 'string')) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`).join(',')}}`;
    return `[${entries.map(([k, v]) => `[${jsonValue(k)},${jsonValue(v)}]`).join(',')}]`;
  }
  if (isRecord(value))
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonValue(v)}`)
      .join(',')}}`;
  return JSON.stringify(String(value));
}

/** A value as one cell of text (CSV, table): scalars as they are, nested values as JSON. */
export function textValue(value: Value, binary: 'hex' | 'base64' = 'base64'): string {
  if (value === null) return '';
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
    case 'number':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Uint8Array) return binary === 'hex' ? `0x${Buffer.from(value).toString('hex').toUpperCase()}` : Buffer.from(value).toString('base64');
  return jsonValue(value);
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A value as one CSV field; the common scalar cases skip the generic formatting (1M rows per second matter here). */
export function csvCell(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvField(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return csvField(textValue(value));
}

export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}
