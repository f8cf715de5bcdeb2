import { quoteIdentifier } from './identifiers.js';
import { tableChangesSource, versionSource } from './statements.js';
import type { TableRef } from './tableRef.js';

/**
 * The SQL of a version diff. Every form yields the same three columns — `_change` (insert, delete,
 * update), `_old` and `_new` (the row as a struct, NULL where absent) — one row per changed key,
 * so the engine does the comparing and only changed rows travel back.
 */

export interface DiffQuery {
  ref: TableRef;
  fromVersion: number;
  toVersion: number;
  /** Columns both versions have, in the newer version's order. */
  columns: readonly string[];
  /** The natural key; empty compares whole rows (inserts and deletes only). */
  key: readonly string[];
}

const q = quoteIdentifier;
const rowStruct = (columns: readonly string[], alias = ''): string => `struct(${columns.map((c) => `${alias}${q(c)}`).join(', ')})`;

/**
 * Snapshot comparison of two versions: rows both versions hold cancel out, what is left is paired
 * on the key. Both versions are read in full, which is
 * why the Change Data Feed is preferred where it covers the range. (Filtering on
 * `_metadata.file_path` to skip files both versions share does not prune files on Delta 4.4 and
 * made the comparison slower, so it is not done.)
 */
export function snapshotDiffSql(query: DiffQuery): string {
  const { ref, fromVersion, toVersion, columns, key } = query;
  const select = columns.map(q).join(', ');
  const rows = `WITH old_rows AS (SELECT ${select} FROM ${versionSource(ref, fromVersion)}),\n  new_rows AS (SELECT ${select} FROM ${versionSource(ref, toVersion)})`;
  if (key.length === 0) {
    return [
      rows,
      `SELECT 'delete' AS _change, ${rowStruct(columns)} AS _old, NULL AS _new FROM (SELECT * FROM old_rows EXCEPT ALL SELECT * FROM new_rows)`,
      'UNION ALL',
      `SELECT 'insert' AS _change, NULL AS _old, ${rowStruct(columns)} AS _new FROM (SELECT * FROM new_rows EXCEPT ALL SELECT * FROM old_rows)`,
    ].join('\n');
  }
  // Identical rows cancel out first (a multiset difference in one aggregation), so a --key that
  // is not unique pairs only the rows that really changed, never every old row with every new one.
  const keys = key.map(q).join(', ');
  const side = (name: string, sign: number): string => `SELECT ${keys}, ${rowStruct(columns)} AS _row, ${sign} AS _side FROM ${name}`;
  const images = (name: string, net: string): string => `  ${name} AS (SELECT ${keys}, explode(array_repeat(_row, CAST(${net} AS INT))) AS _row FROM counted WHERE ${net} > 0)`;
  return [
    `${rows},`,
    '  counted AS (',
    `    SELECT ${keys}, _row, sum(_side) AS _net FROM (${side('old_rows', -1)} UNION ALL ${side('new_rows', 1)})`,
    `    GROUP BY ${keys}, _row HAVING sum(_side) <> 0),`,
    `${images('o', '-_net')},`,
    images('n', '_net'),
    "SELECT CASE WHEN o._row IS NULL THEN 'insert' WHEN n._row IS NULL THEN 'delete' ELSE 'update' END AS _change,",
    '  o._row AS _old, n._row AS _new',
    `FROM o FULL OUTER JOIN n ON ${key.map((k) => `o.${q(k)} <=> n.${q(k)}`).join(' AND ')}`,
  ].join('\n');
}

/**
 * The net change per key from the Change Data Feed of versions (from, to]: the key's first image
 * in the range is its old row (absent if that first change inserted it), its last image the new
 * row (absent if the last change deleted it). Keys changed and changed back drop out.
 */
export function cdfDiffSql(query: DiffQuery): string {
  const { ref, fromVersion, toVersion, columns, key } = query;
  return [
    'WITH changes AS (',
    `  SELECT ${key.map(q).join(', ')}, struct(${rowStruct(columns)} AS image_row, _change_type AS image_kind) AS _image,`,
    "    struct(_commit_version, CASE WHEN _change_type IN ('update_preimage', 'delete') THEN 0 ELSE 1 END) AS _order",
    `  FROM ${tableChangesSource(ref, fromVersion + 1, toVersion)}`,
    '),',
    'net AS (',
    `  SELECT min_by(_image, _order) AS _first, max_by(_image, _order) AS _last FROM changes GROUP BY ${key.map(q).join(', ')}`,
    '),',
    'images AS (',
    "  SELECT CASE WHEN _first.image_kind IN ('update_preimage', 'delete') THEN _first.image_row END AS _old,",
    "    CASE WHEN _last.image_kind IN ('update_postimage', 'insert') THEN _last.image_row END AS _new",
    '  FROM net',
    ')',
    "SELECT CASE WHEN _old IS NULL THEN 'insert' WHEN _new IS NULL THEN 'delete' ELSE 'update' END AS _change, _old, _new",
    'FROM images',
    'WHERE NOT (_old <=> _new)',
  ].join('\n');
}
