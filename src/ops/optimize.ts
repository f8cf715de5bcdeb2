import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { queryRecords, queryRows, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { optimizeSql, versionColumnsSql } from './statements.js';
import { readDetail } from './tableDetail.js';
import { displayName, type TableRef } from './tableRef.js';
import { latestVersion } from './versions.js';
import { readHistory } from './history.js';

export interface OptimizeOutcome {
  filesBefore: number;
  filesAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  filesAdded: number | null;
  filesRemoved: number | null;
  durationMs: number;
  zorder: string[];
  sql: string;
}

/** The z-order columns as the table spells them; unknown ones get the closest column names. */
export async function zorderColumns(engine: SqlEngine, ref: TableRef, wanted: readonly string[], options: ExecuteOptions = {}): Promise<string[]> {
  if (wanted.length === 0) return [];
  const history = await readHistory(engine, ref, { ...options, limit: 1 });
  const { columns } = await queryRows(engine, versionColumnsSql(ref, latestVersion(history)), options);
  const names = columns.map((c) => c.name);
  return wanted.map((w) => {
    const found = names.find((n) => n.toLowerCase() === w.toLowerCase());
    if (found) return found;
    const near = closestNames(w, names);
    throw new UsageError(`--zorder column "${w}" is not a column of ${displayName(ref)}`, { hint: near.length ? `Did you mean ${near.join(', ')}?` : `Columns: ${names.join(', ')}.` });
  });
}

function metric(value: unknown): number | null {
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null;
}

/** Compacts small files (and Z-orders them when asked), measuring files and bytes around it. */
export async function optimizeTable(engine: SqlEngine, ref: TableRef, zorder: readonly string[], options: ExecuteOptions = {}): Promise<OptimizeOutcome> {
  const before = await readDetail(engine, ref, options);
  if (zorder.length > 0 && before.clusteringColumns.length > 0) {
    throw new UsageError(`${displayName(ref)} uses liquid clustering on ${before.clusteringColumns.join(', ')}; Z-order does not apply to it`, {
      hint: `Run \`lhctl optimize ${displayName(ref)}\` without --zorder: OPTIMIZE clusters it on its clustering columns.`,
    });
  }
  const columns = await zorderColumns(engine, ref, zorder, options);
  const sql = optimizeSql(ref, columns);
  const started = performance.now();
  const [result] = await queryRecords(engine, sql, options);
  const durationMs = performance.now() - started;
  const after = await readDetail(engine, ref, options);
  const metrics = (result?.['metrics'] ?? {}) as Record<string, unknown>;
  return {
    filesBefore: before.numFiles,
    filesAfter: after.numFiles,
    bytesBefore: before.sizeInBytes,
    bytesAfter: after.sizeInBytes,
    filesAdded: metric(metrics['numFilesAdded']),
    filesRemoved: metric(metrics['numFilesRemoved']),
    durationMs,
    zorder: columns,
    sql,
  };
}
