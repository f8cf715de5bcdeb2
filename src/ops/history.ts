import { UsageError } from '../core/errors.js';
import type { RecordRow, Value } from '../core/types.js';
import { queryRecords, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { describeHistorySql } from './statements.js';
import type { TableRef } from './tableRef.js';

/** One commit of a Delta table as DESCRIBE HISTORY reports it. */
export interface HistoryEntry {
  version: number;
  /** ISO-8601 with Z. */
  timestamp: string;
  operation: string;
  parameters: Record<string, string>;
  metrics: Record<string, string>;
  /** `commitInfo.userMetadata`: lhctl's pipeline runs put their run and task there. */
  userMetadata: string | null;
  /** The Databricks job that wrote the commit, when there was one. */
  job: Record<string, string> | null;
}

function stringMap(value: Value | undefined): Record<string, string> {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v === null ? '' : String(v)]));
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
  }
  return {};
}

export function historyEntryOf(row: RecordRow): HistoryEntry {
  const job = stringMap(row['job'] ?? null);
  return {
    version: Number(row['version']),
    timestamp: String(row['timestamp']),
    operation: String(row['operation']),
    parameters: stringMap(row['operationParameters']),
    metrics: stringMap(row['operationMetrics']),
    userMetadata: typeof row['userMetadata'] === 'string' ? row['userMetadata'] : null,
    job: Object.keys(job).length > 0 ? job : null,
  };
}

/** The table's commits, newest first; all of them unless `limit`. */
export async function readHistory(engine: SqlEngine, ref: TableRef, options: ExecuteOptions & { limit?: number } = {}): Promise<HistoryEntry[]> {
  const { limit, ...execute } = options;
  const rows = await queryRecords(engine, describeHistorySql(ref, limit), execute);
  return rows.map(historyEntryOf).sort((a, b) => b.version - a.version);
}

function metric(entry: HistoryEntry, ...names: string[]): number | null {
  for (const name of names) {
    const text = entry.metrics[name];
    if (text !== undefined && text !== '') return Number(text);
  }
  return null;
}

/** Row and file counts under one set of names, whichever operation wrote the commit. */
export function commitCounts(entry: HistoryEntry): Record<'rows_inserted' | 'rows_updated' | 'rows_deleted' | 'files_added' | 'files_removed', number | null> {
  const merge = entry.operation === 'MERGE';
  return {
    rows_inserted: merge ? metric(entry, 'numTargetRowsInserted') : metric(entry, 'numOutputRows', 'numInsertedRows'),
    rows_updated: merge ? metric(entry, 'numTargetRowsUpdated') : metric(entry, 'numUpdatedRows'),
    rows_deleted: merge ? metric(entry, 'numTargetRowsDeleted') : metric(entry, 'numDeletedRows'),
    files_added: metric(entry, 'numTargetFilesAdded', 'numAddedFiles', 'numFiles', 'numRestoredFiles'),
    files_removed: metric(entry, 'numTargetFilesRemoved', 'numRemovedFiles', 'numDeletedFiles'),
  };
}

/**
 * Who wrote a commit: the lhctl run and task when the pipeline tagged the commit (userMetadata as
 * JSON `{"run": …, "task": …}` or plain text), else the Databricks job, else nothing known.
 */
export function writtenBy(entry: HistoryEntry): string | null {
  if (entry.userMetadata) {
    try {
      const meta = JSON.parse(entry.userMetadata) as Record<string, unknown>;
      const run = meta['run'] ?? meta['run_id'] ?? meta['runId'];
      const task = meta['task'] ?? meta['task_key'] ?? meta['taskKey'];
      if (run !== undefined || task !== undefined) return [run !== undefined ? `run ${String(run)}` : '', task !== undefined ? `task ${String(task)}` : ''].filter(Boolean).join(' ');
    } catch {
      // not JSON: shown as written
    }
    return entry.userMetadata;
  }
  if (entry.job) {
    const name = entry.job['jobName'] ?? entry.job['jobId'];
    return name ? `job ${name}${entry.job['runId'] ? ` run ${entry.job['runId']}` : ''}` : null;
  }
  return null;
}

const COMMIT_TAG_PART = /^[A-Za-z0-9_.:-]+$/;

/**
 * The session setting that stamps the following commits with the lhctl run and task, which
 * `lhctl history` shows as "written by": the SET statement and the userMetadata value it sets.
 * Ids are plain tokens, so the value needs no quoting.
 */
export function commitTag(run: string, task: string): { sql: string; value: string } {
  for (const part of [run, task]) {
    if (!COMMIT_TAG_PART.test(part)) throw new UsageError(`run and task ids must be letters, digits, _ . : - (got "${part}")`);
  }
  const value = `{"run":"${run}","task":"${task}"}`;
  return { sql: `SET spark.databricks.delta.commitInfo.userMetadata = ${value}`, value };
}

export const RESET_COMMIT_METADATA_SQL = 'RESET spark.databricks.delta.commitInfo.userMetadata';
