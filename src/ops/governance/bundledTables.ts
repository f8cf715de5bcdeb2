import { declaredTables, type DeclaredColumn } from '../declaredTables.js';
import { LAYERS, type Layer } from '../../profiles/profile.js';
import { listSqlFiles, loadSql } from '../../sql/index.js';

/** A table the bundled SQL creates, by layer, with the columns its CREATE TABLE declares. */
export interface BundledTable {
  layer: Layer;
  table: string;
  columns: DeclaredColumn[];
}

const LAYER_PREFIX = new RegExp(String.raw`(?:\{\{\s*catalog\s*\}\}\s*\.\s*)?\{\{\s*(${LAYERS.join('|')})\s*\}\}\s*\.`, 'gi');

let cached: Map<string, BundledTable> | undefined;

/** `layer.table` → the table, for every CREATE TABLE with a column list in sql/ (templates read as written). */
export function bundledTables(): Map<string, BundledTable> {
  if (cached) return cached;
  const tables = new Map<string, BundledTable>();
  for (const name of listSqlFiles()) {
    const text = loadSql(name).replace(LAYER_PREFIX, (_m, layer: string) => `${layer.toLowerCase()}.`);
    for (const declared of declaredTables(text)) {
      const [layer, table] = declared.name.toLowerCase().split('.');
      if (!table || !(LAYERS as readonly string[]).includes(layer ?? '') || tables.has(`${layer}.${table}`)) continue;
      tables.set(`${layer}.${table}`, { layer: layer as Layer, table, columns: declared.columns });
    }
  }
  cached = tables;
  return tables;
}
