import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { queryRecords, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { LAYERS, type Profile } from '../profiles/profile.js';
import { loadSql, stringLiteral } from '../sql/index.js';
import { bundledColumnLineage } from './columnLineage.js';
import { bundledTables } from './governance/bundledTables.js';
import { bundledLineage } from './lineage.js';

/** Lineage as edges from each object (`layer.table` or `layer.table.column`) to the objects it is computed from. */
export type LineageEdges = Map<string, string[]>;

export type LineageDirection = 'upstream' | 'downstream';

export interface LineageLine {
  /** The object drawn with its place in the tree: `├─ silver.sales_transactions`. */
  tree: string;
  object: string;
  depth: number;
}

const CHANGES = new RegExp(String.raw`\{\{\s*changes:(${LAYERS.join('|')})\.(\w+)\s*\}\}`, 'gi');

/** Table lineage of the bundled SQL: a table written by an asset comes from every table that asset reads. */
export function bundledTableLineage(): LineageEdges {
  const edges: LineageEdges = new Map();
  for (const asset of bundledLineage()) {
    // A task that reads a table's change feed (`{{changes:bronze.customers}}`) reads that table.
    const feeds = [...loadSql(asset.file.replace(/\.sql$/, '')).matchAll(CHANGES)].map((m) => `${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}`);
    for (const target of asset.writes) {
      const sources = new Set([...(edges.get(target) ?? []), ...[...asset.reads, ...feeds].filter((r) => r !== target)]);
      edges.set(target, [...sources].sort());
    }
  }
  return edges;
}

function inverted(edges: LineageEdges): LineageEdges {
  const out: LineageEdges = new Map();
  for (const [target, sources] of edges) for (const source of sources) out.set(source, [...(out.get(source) ?? []), target].sort());
  return out;
}

/**
 * The tree below `root`, drawn: upstream lists what it is computed from, downstream what is computed from it.
 * An object met again is shown once more without its subtree, marked `(above)`.
 */
export function lineageTree(edges: LineageEdges, root: string, direction: LineageDirection): LineageLine[] {
  const next = direction === 'upstream' ? edges : inverted(edges);
  const lines: LineageLine[] = [{ tree: root, object: root, depth: 0 }];
  const shown = new Set([root]);
  const walk = (node: string, prefix: string, depth: number, path: Set<string>): void => {
    const children = next.get(node) ?? [];
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      const again = shown.has(child);
      lines.push({ tree: `${prefix}${last ? '└─ ' : '├─ '}${child}${again ? ' (above)' : ''}`, object: child, depth });
      if (again || path.has(child)) return;
      shown.add(child);
      walk(child, `${prefix}${last ? '   ' : '│  '}`, depth + 1, new Set([...path, child]));
    });
  };
  walk(root, '', 1, new Set([root]));
  return lines;
}

/** `gold.fact_sales`, `fact_sales`, `local_gold.fact_sales` or `qa_gold.fact_sales` → `gold.fact_sales`, a table the bundled SQL creates. */
export function lineageTableName(profile: Profile, text: string): string {
  const parts = text.toLowerCase().replace(/`/g, '').split('.');
  const table = parts.pop() ?? '';
  const schema = parts.pop();
  const known = [...bundledTables().keys()];
  const layers = LAYERS.filter((l) => schema === undefined || schema === l || schema === profile.schemas[l].toLowerCase());
  const found = known.filter((k) => layers.some((l) => k === `${l}.${table}`));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new UsageError(`"${text}" names ${found.join(' and ')}`, { hint: `Write the layer: ${found.join(' or ')}.` });
  const near = closestNames(text, known);
  throw new UsageError(`no table "${text}" in the bundled SQL`, { hint: near.length ? `Did you mean ${near[0]}?` : `Tables: ${known.join(', ')}.` });
}

/** The declared columns of a bundled table, or a refusal naming the closest. */
export function lineageColumns(table: string, only: string | undefined): string[] {
  const columns =
    bundledTables()
      .get(table)
      ?.columns.map((c) => c.name) ?? [];
  if (only === undefined) return columns;
  if (columns.includes(only.toLowerCase())) return [only.toLowerCase()];
  const near = closestNames(only, columns);
  throw new UsageError(`${table} has no column "${only}"`, { hint: near.length ? `Did you mean ${near[0]}?` : `Columns: ${columns.join(', ')}.` });
}

export function bundledLineageEdges(columns: boolean): LineageEdges {
  return columns ? bundledColumnLineage() : bundledTableLineage();
}

/** A full name of Unity Catalog's as lhctl names it: the env's own schemas by layer, any other in full. */
function layerName(profile: Profile, fullName: string): string {
  const [catalog, schema, ...rest] = fullName.toLowerCase().split('.');
  const layer = LAYERS.find((l) => profile.schemas[l].toLowerCase() === schema);
  return catalog === profile.catalog.toLowerCase() && layer ? [layer, ...rest].join('.') : fullName.toLowerCase();
}

/** Lineage Unity Catalog recorded for the env's catalog (system.access.table_lineage / column_lineage). */
export async function workspaceLineageEdges(engine: SqlEngine, profile: Profile, columns: boolean, options: ExecuteOptions = {}): Promise<LineageEdges> {
  const catalog = stringLiteral(profile.catalog);
  const sql = columns
    ? 'SELECT DISTINCT source_table_full_name, source_column_name, target_table_full_name, target_column_name FROM system.access.column_lineage ' +
      `WHERE (target_table_catalog = ${catalog} OR source_table_catalog = ${catalog}) AND source_table_full_name IS NOT NULL AND target_table_full_name IS NOT NULL`
    : 'SELECT DISTINCT source_table_full_name, target_table_full_name FROM system.access.table_lineage ' +
      `WHERE (target_table_catalog = ${catalog} OR source_table_catalog = ${catalog}) AND source_table_full_name IS NOT NULL AND target_table_full_name IS NOT NULL`;
  const edges: LineageEdges = new Map();
  for (const row of await queryRecords(engine, sql, options)) {
    const source = layerName(profile, String(row['source_table_full_name'])) + (columns ? `.${String(row['source_column_name']).toLowerCase()}` : '');
    const target = layerName(profile, String(row['target_table_full_name'])) + (columns ? `.${String(row['target_column_name']).toLowerCase()}` : '');
    if (source === target) continue;
    edges.set(target, [...new Set([...(edges.get(target) ?? []), source])].sort());
  }
  return edges;
}
