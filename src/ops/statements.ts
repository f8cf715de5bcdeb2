import { UsageError } from '../core/errors.js';
import { quoteIdentifier, stringLiteral } from './identifiers.js';
import { qualifiedName, type TableRef } from './tableRef.js';

/**
 * The small statements the Delta operations send, built from validated, quoted identifiers.
 * They are pure so the golden files can show exactly what runs on local Spark and on Databricks.
 */

const columnList = (columns: readonly string[]): string => columns.map(quoteIdentifier).join(', ');

export function showTablesSql(catalog: string, schema: string): string {
  return `SHOW TABLES IN ${quoteIdentifier(catalog)}.${quoteIdentifier(schema)}`;
}

export function describeDetailSql(ref: TableRef): string {
  return `DESCRIBE DETAIL ${qualifiedName(ref)}`;
}

export function describeHistorySql(ref: TableRef, limit?: number): string {
  return `DESCRIBE HISTORY ${qualifiedName(ref)}${limit === undefined ? '' : ` LIMIT ${wholeNumber(limit)}`}`;
}

export function describeTableSql(ref: TableRef): string {
  return `DESCRIBE TABLE ${qualifiedName(ref)}`;
}

export function countRowsSql(ref: TableRef): string {
  return `SELECT COUNT(*) AS row_count FROM ${qualifiedName(ref)}`;
}

export function versionSource(ref: TableRef, version: number): string {
  return `${qualifiedName(ref)} VERSION AS OF ${wholeNumber(version)}`;
}

/** No rows, only the columns a version had (schemas change between versions). */
export function versionColumnsSql(ref: TableRef, version: number): string {
  return `SELECT * FROM ${versionSource(ref, version)} LIMIT 0`;
}

/** A filter the operator typed for --where: one predicate, never a second statement or a comment. */
export function checkPredicate(where: string): string {
  const text = where.trim();
  if (text.length === 0) throw new UsageError('--where is empty');
  if (/;|--|\/\*/.test(text)) throw new UsageError(`--where must be one predicate, without ";" or comments (got "${where}")`);
  return text;
}

export interface TimeTravelQuery {
  columns?: readonly string[];
  where?: string;
  limit?: number;
}

export function timeTravelSql(ref: TableRef, version: number, query: TimeTravelQuery = {}): string {
  const columns = query.columns && query.columns.length > 0 ? columnList(query.columns) : '*';
  return [
    `SELECT ${columns}`,
    `FROM ${versionSource(ref, version)}`,
    ...(query.where !== undefined ? [`WHERE (${checkPredicate(query.where)})`] : []),
    ...(query.limit !== undefined ? [`LIMIT ${wholeNumber(query.limit)}`] : []),
  ].join('\n');
}

export type ChangeType = 'insert' | 'update_preimage' | 'update_postimage' | 'delete';
export const CHANGE_TYPES: readonly ChangeType[] = ['insert', 'update_preimage', 'update_postimage', 'delete'];

/** `table_changes` takes the name as a string; the quoted three-part name parses on both engines. */
export function tableChangesSource(ref: TableRef, fromVersion: number, toVersion?: number): string {
  const end = toVersion === undefined ? '' : `, ${wholeNumber(toVersion)}`;
  return `table_changes(${stringLiteral(qualifiedName(ref))}, ${wholeNumber(fromVersion)}${end})`;
}

export function tableChangesSql(ref: TableRef, fromVersion: number, toVersion?: number, changeTypes: readonly ChangeType[] = []): string {
  return [
    `SELECT * FROM ${tableChangesSource(ref, fromVersion, toVersion)}`,
    ...(changeTypes.length > 0 ? [`WHERE _change_type IN (${changeTypes.map((t) => stringLiteral(t)).join(', ')})`] : []),
    'ORDER BY _commit_version, _change_type',
  ].join('\n');
}

export function restoreSql(ref: TableRef, version: number): string {
  return `RESTORE TABLE ${qualifiedName(ref)} TO VERSION AS OF ${wholeNumber(version)}`;
}

export function optimizeSql(ref: TableRef, zorderColumns: readonly string[] = []): string {
  return `OPTIMIZE ${qualifiedName(ref)}${zorderColumns.length > 0 ? ` ZORDER BY (${columnList(zorderColumns)})` : ''}`;
}

export function vacuumSql(ref: TableRef, retainHours: number, dryRun: boolean): string {
  if (!Number.isFinite(retainHours) || retainHours < 0) throw new UsageError(`retention must be a number of hours >= 0, got ${retainHours}`);
  return `VACUUM ${qualifiedName(ref)} RETAIN ${retainHours} HOURS${dryRun ? ' DRY RUN' : ''}`;
}

/**
 * An order-independent fingerprint of a version's rows: equal counts, xor and sum of row hashes
 * mean equal content, which is how a restore is checked against the version it restored.
 */
export function checksumSql(ref: TableRef, version: number | undefined, columns: readonly string[]): string {
  const source = version === undefined ? qualifiedName(ref) : versionSource(ref, version);
  const rowHash = `xxhash64(${columnList(columns)})`;
  return `SELECT COUNT(*) AS row_count, bit_xor(${rowHash}) AS xor_hash, SUM(CAST(${rowHash} AS DECIMAL(38,0))) AS sum_hash FROM ${source}`;
}

function wholeNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`expected a whole number >= 0, got ${n}`);
  return String(n);
}
