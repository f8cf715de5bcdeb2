import type { Column, Row, Value } from '../../core/types.js';

/** The part of the driver's Thrift TTableSchema that describes columns. */
export interface ThriftSchema {
  columns: Array<{
    columnName: string;
    position: number;
    typeDesc: { types: Array<{ primitiveEntry?: { type: number; typeQualifiers?: { qualifiers: Record<string, { i32Value?: number | null }> } } }> };
  }>;
}

/** TTypeId → Spark SQL type text; numbering from TCLIService.thrift. */
const TYPE_NAMES: Record<number, string> = {
  0: 'boolean',
  1: 'tinyint',
  2: 'smallint',
  3: 'int',
  4: 'bigint',
  5: 'float',
  6: 'double',
  7: 'string',
  8: 'timestamp',
  9: 'binary',
  10: 'array',
  11: 'map',
  12: 'struct',
  13: 'union',
  14: 'user_defined',
  15: 'decimal',
  16: 'void',
  17: 'date',
  18: 'varchar',
  19: 'char',
  20: 'interval year to month',
  21: 'interval day to second',
};

export function columnsFromSchema(schema: ThriftSchema | null): Column[] {
  if (!schema) return [];
  return [...schema.columns]
    .sort((a, b) => a.position - b.position)
    .map((c) => {
      const entry = c.typeDesc.types[0]?.primitiveEntry;
      let type = entry ? (TYPE_NAMES[entry.type] ?? 'string') : 'string';
      if (type === 'decimal') {
        const q = entry?.typeQualifiers?.qualifiers ?? {};
        const precision = q['precision']?.i32Value;
        const scale = q['scale']?.i32Value;
        if (typeof precision === 'number') type = `decimal(${precision},${scale ?? 0})`;
      }
      return { name: c.columnName, type, nullable: true };
    });
}

/** `2024-03-01 10:15:00.123456` (session time zone is UTC) → `2024-03-01T10:15:00.123456Z`. */
function timestampText(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return value;
  if (m[3] !== undefined && m[3] !== 'Z') return new Date(value).toISOString();
  return `${m[1]}T${m[2]}Z`;
}

function jsonValue(value: unknown): Value {
  if (typeof value !== 'string') return toValue(value);
  try {
    return toValue(JSON.parse(value));
  } catch {
    return value;
  }
}

/** Plain conversion for nested values the driver already decoded. */
function toValue(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(toValue);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [toValue(k), toValue(v)]));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toValue(v)]));
  return value as Value;
}

/** Convert one driver value to lhctl's conventions (see core/types.ts) given the column's type. */
export function warehouseValue(type: string, value: unknown): Value {
  if (value === null || value === undefined) return null;
  const base = type.replace(/\(.*$/, '');
  switch (base) {
    case 'bigint':
      if (typeof value === 'bigint') return value;
      // The column-based path hands out numbers; past 2^53 the driver can only offer Infinity.
      if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.trunc(value)) : String(value);
      return BigInt(String(value));
    case 'decimal': {
      if (typeof value === 'string') return value;
      // Column-based results arrive as JS numbers; the declared scale restores the digits shown.
      const scale = /,\s*(\d+)\)$/.exec(type)?.[1];
      return typeof value === 'number' && scale !== undefined ? value.toFixed(Number(scale)) : String(value);
    }
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : timestampText(String(value));
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'binary':
      return value instanceof Uint8Array ? new Uint8Array(value) : new TextEncoder().encode(String(value));
    case 'array':
    case 'struct':
      return jsonValue(value);
    case 'map': {
      const decoded = jsonValue(value);
      if (decoded instanceof Map || decoded === null || typeof decoded !== 'object' || Array.isArray(decoded) || decoded instanceof Uint8Array) return decoded;
      return new Map(Object.entries(decoded));
    }
    default:
      return toValue(value);
  }
}

/** The driver hands rows as objects keyed by column name; lhctl rows are positional. */
export function rowFromRecord(columns: Column[], record: Record<string, unknown>): Row {
  return columns.map((c) => warehouseValue(c.type, record[c.name]));
}
