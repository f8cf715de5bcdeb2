import type { Value } from '../core/types.js';

/** Value equality across the engine's JS value shapes (bigint, decimal strings, bytes, nested). */
export function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return typeof a === typeof b && a === b;
  return canonical(a) === canonical(b);
}

function canonical(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Uint8Array) return `b:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Map) return `m{${[...value.entries()].map(([k, v]) => `${canonical(k)}:${canonical(v)}`).join(',')}}`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`;
}

export type RowObject = Record<string, Value>;

export function asRow(value: Value | undefined): RowObject | null {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || value instanceof Map || value instanceof Uint8Array) return null;
  return value;
}

/** The columns whose values differ between two images of a row, in column order. */
export function changedColumns(before: RowObject, after: RowObject, columns: readonly string[]): string[] {
  return columns.filter((column) => !sameValue(before[column], after[column]));
}

export function pick(row: RowObject, columns: readonly string[]): RowObject {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}
