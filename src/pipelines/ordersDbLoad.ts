import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBatch, ORDERS_DB_TABLES, type OrdersDatabase, type TableLoadResult } from '../services/postgres.js';
import type { BatchManifest } from './generator/manifest.js';

/**
 * Loads landed batches into the orders database (`data generate --to postgres`): the same synthetic, dirty
 * lines the files carry, read back from the landing zone the generator just wrote, so both sources hold one
 * data set. One transaction per batch, in batch order; each table's counts per batch come back.
 */
export async function loadBatchesIntoPostgres(db: OrdersDatabase, landingDir: string, manifests: BatchManifest[], onProgress?: (message: string) => void): Promise<TableLoadResult[]> {
  const results: TableLoadResult[] = [];
  for (const manifest of [...manifests].sort((a, b) => a.batch - b.batch)) {
    const files = ORDERS_DB_TABLES.map((table) => ({ table, lines: readFileSync(join(landingDir, manifest.sources[table].file), 'utf8').split('\n') }));
    const started = performance.now();
    const loaded = await loadBatch(db, manifest.batch, files);
    const seconds = (performance.now() - started) / 1000;
    const rows = loaded.reduce((n, r) => n + r.inserted + r.updated + r.unchanged, 0);
    onProgress?.(
      `batch ${manifest.batch}: ${loaded.map((r) => `${r.table} +${r.inserted} ~${r.updated}${r.notRepresentable ? ` (${r.notRepresentable} lines not loadable)` : ''}`).join(', ')} in the orders database (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)`,
    );
    results.push(...loaded);
  }
  return results;
}
