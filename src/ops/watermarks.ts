import { queryRecords, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import { stringLiteral } from '../sql/index.js';
import { watermarkTable } from '../sql/watermarks.js';
import type { TableRef } from './tableRef.js';

/** How far one pipeline task has read a table's changes. */
export interface TableWatermark {
  /** The task's SQL file, e.g. `gold/fact_sales`. */
  consumer: string;
  version: number;
  updatedAt: string;
}

/**
 * The watermarks the pipeline's incremental tasks keep on a table (what they have read of it). Empty
 * for a table outside the medallion layers, or before the first transformation made the watermark table.
 */
export async function watermarksOn(engine: SqlEngine, profile: Profile, ref: TableRef, options: ExecuteOptions = {}): Promise<TableWatermark[]> {
  if (!ref.layer) return [];
  try {
    const rows = await queryRecords(
      engine,
      `SELECT consumer, version, updated_at FROM ${watermarkTable(profile)} WHERE source = ${stringLiteral(`${ref.layer}.${ref.table}`)} ORDER BY consumer`,
      options,
    );
    return rows.map((r) => ({ consumer: String(r['consumer']), version: Number(r['version']), updatedAt: String(r['updated_at']) }));
  } catch {
    return [];
  }
}
