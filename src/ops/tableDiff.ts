import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import type { Column, Value } from '../core/types.js';
import { queryRows, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { cdfCovers } from './cdfCoverage.js';
import { cdfDiffSql, snapshotDiffSql, type DiffQuery } from './diffStatements.js';
import { naturalKeyOf } from './naturalKeys.js';
import { asRow, changedColumns, pick, type RowObject } from './rowCompare.js';
import { versionColumnsSql } from './statements.js';
import { cdfEnabled, type TableState } from './tableDetail.js';
import { displayName } from './tableRef.js';

export type DiffMethod = 'cdf' | 'snapshot';

export interface RowChange {
  change: 'insert' | 'delete' | 'update';
  /** The key's values (the whole row when compared without a key). */
  key: RowObject;
  before: RowObject | null;
  after: RowObject | null;
  /** For updates: the columns that changed, in column order. */
  changed: string[];
}

export interface TableDiff {
  fromVersion: number;
  toVersion: number;
  method: DiffMethod;
  key: string[];
  keySource: 'given' | 'natural key' | 'whole row';
  inserted: number;
  deleted: number;
  updated: number;
  /** The first `maxChanges` changes; the counts above cover all of them. */
  changes: RowChange[];
  columnsAdded: string[];
  columnsDropped: string[];
  sql: string;
}

export interface DiffRequest {
  fromVersion: number;
  toVersion: number;
  key?: readonly string[];
  method?: DiffMethod | 'auto';
  maxChanges?: number;
}

async function columnsAt(engine: SqlEngine, state: TableState, version: number, options: ExecuteOptions): Promise<Column[]> {
  return (await queryRows(engine, versionColumnsSql(state.ref, version), options)).columns;
}

/** Spark 3.5, which many SQL warehouses still run, cannot group by a map: a column holding one is compared by its JSON text. */
const holdsMap = (column: Column): boolean => /\bmap</i.test(column.type);

function chooseKey(state: TableState, request: DiffRequest, columns: readonly string[]): { key: string[]; keySource: TableDiff['keySource'] } {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  if (request.key && request.key.length > 0) {
    const key = request.key.map((k) => {
      const column = lower.get(k.toLowerCase());
      if (column === undefined) {
        const near = closestNames(k, columns);
        throw new UsageError(`--key column "${k}" is not in both versions of ${displayName(state.ref)}`, {
          hint: near.length ? `Did you mean ${near.join(', ')}?` : `Columns: ${columns.join(', ')}.`,
        });
      }
      return column;
    });
    return { key, keySource: 'given' };
  }
  const natural = naturalKeyOf(state.ref.layer, state.ref.table);
  if (natural && natural.every((k) => lower.has(k.toLowerCase()))) return { key: natural.map((k) => lower.get(k.toLowerCase())!), keySource: 'natural key' };
  return { key: [], keySource: 'whole row' };
}

/**
 * Rows inserted, deleted and updated between two versions. The Change Data Feed is read when it
 * covers every commit of the range (it touches only the changed rows); otherwise both snapshots
 * are read and joined on the key.
 */
export async function diffVersions(engine: SqlEngine, state: TableState, request: DiffRequest, options: ExecuteOptions = {}): Promise<TableDiff> {
  if (request.fromVersion > request.toVersion) {
    const forward = await diffVersions(engine, state, { ...request, fromVersion: request.toVersion, toVersion: request.fromVersion }, options);
    return reverse(forward);
  }
  const [oldTyped, newTyped] = await Promise.all([columnsAt(engine, state, request.fromVersion, options), columnsAt(engine, state, request.toVersion, options)]);
  const oldColumns = oldTyped.map((c) => c.name);
  const newColumns = newTyped.map((c) => c.name);
  const oldSet = new Set(oldColumns.map((c) => c.toLowerCase()));
  const newSet = new Set(newColumns.map((c) => c.toLowerCase()));
  const common = newTyped.filter((c) => oldSet.has(c.name.toLowerCase()));
  const columns = common.map((c) => c.name);
  const asJson = common.filter(holdsMap).map((c) => c.name);
  const { key, keySource } = chooseKey(state, request, columns);
  const wanted = request.method ?? 'auto';
  const cdfUsable = cdfEnabled(state.detail) && cdfCovers(state.history, request.fromVersion, request.toVersion);
  if (wanted === 'cdf' && !cdfUsable) {
    throw new UsageError(`the Change Data Feed of ${displayName(state.ref)} does not cover versions ${request.fromVersion + 1} to ${request.toVersion}`, {
      hint: 'Use --method snapshot (or leave --method out to choose automatically).',
    });
  }
  const method: DiffMethod = wanted === 'snapshot' || !cdfUsable ? 'snapshot' : 'cdf';
  const query: DiffQuery = { ref: state.ref, fromVersion: request.fromVersion, toVersion: request.toVersion, columns, key, asJson };
  const sql = request.fromVersion === request.toVersion ? '' : method === 'cdf' ? cdfDiffSql(query) : snapshotDiffSql(query);
  const diff: TableDiff = {
    fromVersion: request.fromVersion,
    toVersion: request.toVersion,
    method,
    key,
    keySource,
    inserted: 0,
    deleted: 0,
    updated: 0,
    changes: [],
    columnsAdded: newColumns.filter((c) => !oldSet.has(c.toLowerCase())),
    columnsDropped: oldColumns.filter((c) => !newSet.has(c.toLowerCase())),
    sql,
  };
  if (sql === '') return diff;
  const maxChanges = request.maxChanges ?? 100;
  const identity = key.length > 0 ? key : columns;
  const result = await engine.execute(sql, options);
  for await (const batch of result) {
    for (const [kind, oldValue, newValue] of batch as [Value, Value, Value][]) {
      const change = kind as RowChange['change'];
      diff[change === 'insert' ? 'inserted' : change === 'delete' ? 'deleted' : 'updated']++;
      if (diff.changes.length >= maxChanges) continue;
      const before = asRow(oldValue);
      const after = asRow(newValue);
      diff.changes.push({ change, key: pick((after ?? before)!, identity), before, after, changed: before && after ? changedColumns(before, after, columns) : [] });
    }
  }
  return diff;
}

function reverse(diff: TableDiff): TableDiff {
  return {
    ...diff,
    fromVersion: diff.toVersion,
    toVersion: diff.fromVersion,
    inserted: diff.deleted,
    deleted: diff.inserted,
    changes: diff.changes.map((c) => ({ ...c, change: c.change === 'insert' ? 'delete' : c.change === 'delete' ? 'insert' : 'update', before: c.after, after: c.before })),
    columnsAdded: diff.columnsDropped,
    columnsDropped: diff.columnsAdded,
  };
}
