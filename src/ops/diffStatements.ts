import { quoteIdentifier } from './identifiers.js';
import { tableChangesSource, versionSource } from './statements.js';
import type { TableRef } from './tableRef.js';

/**
 * The SQL of a version diff. Every form yields the same three columns — `_change` (insert, delete,
 * update), `_old` and `_new` (the row as a struct, NULL where absent) — one row per change, so the
 * engine does the comparing and only changed rows travel back.
 */

export interface DiffQuery {
  ref: TableRef;
  fromVersion: number;
  toVersion: number;
  /** Columns both versions have, in the newer version's order. */
  columns: readonly string[];
  /** The natural key; empty compares whole rows (inserts and deletes only). */
  key: readonly string[];
  /** Columns compared (and shown) by their JSON text: maps, which Spark 3.5 cannot group by. */
  asJson?: readonly string[];
}

const q = quoteIdentifier;

/** The key columns, the row as a struct (`_row`) and `_side`: +1 for a row the newer version gains, -1 for one it loses. */
function signedRows(query: DiffQuery, side: string, source: string): string {
  const json = new Set(query.asJson ?? []);
  const fields = query.columns.map((c) => (json.has(c) ? `to_json(${q(c)}) AS ${q(c)}` : q(c)));
  return `SELECT ${[...query.key.map(q), `struct(${fields.join(', ')}) AS _row`].join(', ')}, ${side} AS _side FROM ${source}`;
}

/**
 * The multiset difference "newer version minus older one" of `signed` rows, paired on the key. Summed
 * per key and row, what both versions hold cancels out, so a key that is not unique pairs only the rows
 * that really changed, never every old row with every new one. Without a key, rows are only inserted or
 * deleted.
 */
function pairedChangesSql(signed: string, key: readonly string[]): string {
  const groups = [...key.map(q), '_row'].join(', ');
  const images = (name: string, sign: string): string =>
    `  ${name} AS (SELECT ${[...key.map(q), `explode(array_repeat(_row, CAST(${sign}_net AS INT))) AS _row`].join(', ')} FROM counted WHERE ${sign}_net > 0)`;
  const head = ['WITH', `  counted AS (SELECT ${groups}, sum(_side) AS _net FROM (${signed}) GROUP BY ${groups} HAVING sum(_side) <> 0),`, `${images('o', '-')},`, images('n', '')];
  if (key.length === 0) {
    return [...head, "SELECT 'delete' AS _change, _row AS _old, NULL AS _new FROM o", 'UNION ALL', "SELECT 'insert' AS _change, NULL AS _old, _row AS _new FROM n"].join('\n');
  }
  return [
    ...head,
    "SELECT CASE WHEN o._row IS NULL THEN 'insert' WHEN n._row IS NULL THEN 'delete' ELSE 'update' END AS _change,",
    '  o._row AS _old, n._row AS _new',
    `FROM o FULL OUTER JOIN n ON ${key.map((k) => `o.${q(k)} <=> n.${q(k)}`).join(' AND ')}`,
  ].join('\n');
}

/**
 * Snapshot comparison of two versions: both are read in full, which is why the Change Data Feed is
 * preferred where it covers the range. (Filtering on `_metadata.file_path` to skip files both versions
 * share does not prune files on Delta 4.4 and made the comparison slower, so it is not done.)
 */
export function snapshotDiffSql(query: DiffQuery): string {
  const { ref, fromVersion, toVersion, key } = query;
  return pairedChangesSql(`${signedRows(query, '-1', versionSource(ref, fromVersion))} UNION ALL ${signedRows(query, '1', versionSource(ref, toVersion))}`, key);
}

/**
 * The same difference from the Change Data Feed of versions (from, to]: inserts and post-images are
 * rows gained, deletes and pre-images rows lost, and their sum per key and row is exactly what the two
 * snapshots differ by, read from the changed rows only. Rows changed and changed back cancel out.
 */
export function cdfDiffSql(query: DiffQuery): string {
  const gained = "CASE WHEN _change_type IN ('insert', 'update_postimage') THEN 1 ELSE -1 END";
  return pairedChangesSql(signedRows(query, gained, tableChangesSource(query.ref, query.fromVersion + 1, query.toVersion)), query.key);
}
