import type { Column } from '../../core/types.js';

/** The Spark Connect `DataType` message as decoded (snake_case keys, the oneof's name in `kind`). */
export interface ProtoDataType {
  kind?: string;
  decimal?: { precision?: number; scale?: number };
  char?: { length?: number };
  var_char?: { length?: number };
  array?: { element_type?: ProtoDataType; contains_null?: boolean };
  map?: { key_type?: ProtoDataType; value_type?: ProtoDataType };
  struct?: { fields?: { name: string; data_type?: ProtoDataType; nullable?: boolean }[] };
  udt?: { type?: string; sql_type?: ProtoDataType };
  unparsed?: { data_type_string?: string };
  string?: { collation?: string };
}

const SIMPLE_NAMES: Record<string, string> = {
  null: 'void',
  binary: 'binary',
  boolean: 'boolean',
  byte: 'tinyint',
  short: 'smallint',
  integer: 'int',
  long: 'bigint',
  float: 'float',
  double: 'double',
  string: 'string',
  date: 'date',
  timestamp: 'timestamp',
  timestamp_ntz: 'timestamp_ntz',
  calendar_interval: 'interval',
  year_month_interval: 'interval year to month',
  day_time_interval: 'interval day to second',
  variant: 'variant',
  time: 'time',
  geometry: 'geometry',
  geography: 'geography',
};

/** Spark's SQL text for a type, as DESCRIBE prints it: `decimal(10,2)`, `array<string>`, … */
export function sparkTypeName(type: ProtoDataType | undefined): string {
  if (!type?.kind) return 'unknown';
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.decimal?.precision ?? 10},${type.decimal?.scale ?? 0})`;
    case 'char':
      return `char(${type.char?.length ?? 0})`;
    case 'var_char':
      return `varchar(${type.var_char?.length ?? 0})`;
    case 'array':
      return `array<${sparkTypeName(type.array?.element_type)}>`;
    case 'map':
      return `map<${sparkTypeName(type.map?.key_type)},${sparkTypeName(type.map?.value_type)}>`;
    case 'struct':
      return `struct<${(type.struct?.fields ?? []).map((f) => `${f.name}:${sparkTypeName(f.data_type)}`).join(',')}>`;
    case 'udt':
      return type.udt?.sql_type ? sparkTypeName(type.udt.sql_type) : (type.udt?.type ?? 'udt');
    case 'unparsed':
      return type.unparsed?.data_type_string ?? 'unknown';
    default:
      return SIMPLE_NAMES[type.kind] ?? type.kind;
  }
}

/** Result columns from the schema the server sends ahead of the rows. */
export function columnsFromSchema(schema: ProtoDataType | undefined): Column[] {
  if (schema?.kind !== 'struct') return [];
  return (schema.struct?.fields ?? []).map((f) => ({ name: f.name, type: sparkTypeName(f.data_type), nullable: f.nullable ?? true }));
}
