import { QueryError } from '../core/errors.js';
import type { Value } from '../core/types.js';
import { queryRecords, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { readHistory, type HistoryEntry } from './history.js';
import { retentionOf, type Retention } from './retention.js';
import { describeDetailSql } from './statements.js';
import { displayName, type TableRef } from './tableRef.js';

/** DESCRIBE DETAIL of a Delta table. */
export interface TableDetail {
  format: string;
  location: string;
  createdAt: string | null;
  lastModified: string | null;
  numFiles: number;
  sizeInBytes: number;
  partitionColumns: string[];
  clusteringColumns: string[];
  properties: Record<string, string>;
  tableFeatures: string[];
}

function strings(value: Value | undefined): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function properties(value: Value | undefined): Record<string, string> {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), String(v)]));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  }
  return {};
}

export async function readDetail(engine: SqlEngine, ref: TableRef, options: ExecuteOptions = {}): Promise<TableDetail> {
  const [row] = await queryRecords(engine, describeDetailSql(ref), options);
  if (!row) throw new QueryError(`DESCRIBE DETAIL returned nothing for ${displayName(ref)}`, { kind: 'execution' });
  const format = String(row['format'] ?? '');
  if (format.toLowerCase() !== 'delta') {
    throw new QueryError(`${displayName(ref)} is a ${format || 'non-Delta'} table: history, time travel and the Delta operations need a Delta table`, { kind: 'analysis' });
  }
  return {
    format,
    location: String(row['location'] ?? ''),
    createdAt: row['createdAt'] === null || row['createdAt'] === undefined ? null : String(row['createdAt']),
    lastModified: row['lastModified'] === null || row['lastModified'] === undefined ? null : String(row['lastModified']),
    numFiles: Number(row['numFiles'] ?? 0),
    sizeInBytes: Number(row['sizeInBytes'] ?? 0),
    partitionColumns: strings(row['partitionColumns']),
    clusteringColumns: strings(row['clusteringColumns']),
    properties: properties(row['properties']),
    tableFeatures: strings(row['tableFeatures']),
  };
}

/** What most operations need before they act: detail, full history and retention. */
export interface TableState {
  ref: TableRef;
  detail: TableDetail;
  history: HistoryEntry[];
  retention: Retention;
}

export async function readTableState(engine: SqlEngine, ref: TableRef, options: ExecuteOptions = {}): Promise<TableState> {
  const detail = await readDetail(engine, ref, options);
  const history = await readHistory(engine, ref, options);
  return { ref, detail, history, retention: retentionOf(detail.properties) };
}

export function cdfEnabled(detail: TableDetail): boolean {
  return detail.properties['delta.enableChangeDataFeed']?.toLowerCase() === 'true';
}
