import { LAYERS, type Layer } from '../profiles/profile.js';
import { listSqlFiles, loadSql } from '../sql/index.js';

/** One SQL asset's reads and write, as `layer.table` names. */
export interface AssetLineage {
  file: string;
  writes: string[];
  reads: string[];
}

/** `{{gold}}.dim_customer` or `{{catalog}}.{{gold}}.dim_customer` in a template. */
const TABLE_REFERENCE = new RegExp(String.raw`(?:\{\{\s*catalog\s*\}\}\s*\.\s*)?\{\{\s*(${LAYERS.join('|')})\s*\}\}\s*\.\s*` + '`?([A-Za-z_][A-Za-z0-9_]*)`?', 'gi');
const WRITE_VERB = /\b(?:INSERT\s+(?:INTO|OVERWRITE)(?:\s+TABLE)?|MERGE\s+INTO|CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|VIEW)(?:\s+IF\s+NOT\s+EXISTS)?|REPLACE\s+TABLE|UPDATE|DELETE\s+FROM)\s*$/i;

function withoutComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

/** Reads and writes of one template: a table right after a write verb is written, any other is read. */
export function assetLineage(file: string, sql: string): AssetLineage {
  const text = withoutComments(sql);
  const writes = new Set<string>();
  const reads = new Set<string>();
  for (const match of text.matchAll(TABLE_REFERENCE)) {
    const name = `${match[1]!.toLowerCase()}.${match[2]!.toLowerCase()}`;
    const before = text.slice(Math.max(0, match.index - 60), match.index);
    (WRITE_VERB.test(before) ? writes : reads).add(name);
  }
  for (const written of writes) reads.delete(written);
  return { file, writes: [...writes].sort(), reads: [...reads].sort() };
}

/** Lineage of every bundled SQL asset (sql/bronze, silver, gold, quality). */
export function bundledLineage(): AssetLineage[] {
  return listSqlFiles().map((name) => assetLineage(`${name}.sql`, loadSql(name)));
}

/**
 * Tables that read `table` directly or through other tables, nearest first: what a restore of
 * `table` leaves stale until the pipeline runs again.
 */
export function downstreamTables(lineage: readonly AssetLineage[], layer: Layer, table: string): string[] {
  const start = `${layer}.${table.toLowerCase()}`;
  const found: string[] = [];
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const source of frontier) {
      for (const asset of lineage) {
        if (!asset.reads.includes(source)) continue;
        for (const target of asset.writes) {
          if (target !== start && !found.includes(target)) {
            found.push(target);
            next.push(target);
          }
        }
      }
    }
    frontier = next;
  }
  return found;
}
