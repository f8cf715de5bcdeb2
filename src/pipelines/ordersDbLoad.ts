import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Profile } from '../profiles/profile.js';
import { serviceHost } from '../services/service.js';
import type { Settings } from '../profiles/settings.js';
import {
  ensureOrdersSchema,
  loadBatch,
  ORDERS_DB_TABLES,
  type OrdersDatabase,
  ordersDatabase,
  pgIdentifier,
  postgresService,
  queryOrdersDb,
  remoteOrdersDatabase,
  type TableLoadResult,
} from '../services/postgres.js';
import type { BatchManifest } from './generator/manifest.js';

/**
 * Loads landed batches into the orders database (`data generate --to postgres`): the same synthetic, dirty
 * lines the files carry, read back from the landing zone the generator just wrote, so both sources hold one
 * data set. One transaction per batch, in batch order; each table's counts per batch come back.
 */
export async function loadBatchesIntoPostgres(db: OrdersDatabase, landingDir: string, manifests: BatchManifest[], onProgress?: (message: string) => void): Promise<TableLoadResult[]> {
  await ensureOrdersSchema(db);
  const results: TableLoadResult[] = [];
  for (const manifest of [...manifests].sort((a, b) => a.batch - b.batch)) {
    const files = ORDERS_DB_TABLES.map((table) => ({ table, lines: readFileSync(join(landingDir, manifest.sources[table].file), 'utf8').split('\n') }));
    const started = performance.now();
    const loaded = await loadBatch(db, manifest.batch, files);
    const seconds = (performance.now() - started) / 1000;
    const rows = loaded.reduce((n, r) => n + r.inserted + r.updated + r.unchanged, 0);
    const tables = loaded.map((r) => `${r.table} +${r.inserted} ~${r.updated}${r.notRepresentable ? ` (${r.notRepresentable} lines not loadable)` : ''}`);
    onProgress?.(`batch ${manifest.batch} in the orders database: ${tables.join(', ')} (${Math.round(rows / Math.max(seconds, 0.001))} rows/s)`);
    results.push(...loaded);
  }
  return results;
}

/**
 * The orders database an env reads: the one lhctl runs (`url: local`, started here when it is down), or the
 * profile's JDBC URL with the password from the variable the profile names.
 */
export async function ordersDatabaseOf(profile: Profile, settings: Settings, onProgress?: (message: string) => void): Promise<OrdersDatabase> {
  const source = profile.sources.ordersDb;
  if (!source) throw new UsageError(`env ${profile.name} names no orders database`, { hint: 'Use an env with `sources.orders_db` (e.g. --env live), or --to files.' });
  if (source.url !== 'local') return remoteOrdersDatabase(source.url, source.user, settings.processEnv, source.passwordEnv, source.schema);
  const host = serviceHost(settings);
  await postgresService.start(host, onProgress);
  return ordersDatabase(host);
}

/**
 * Empties the orders database's tables, for `data generate --reset`: the synthetic source starts again
 * with the landing zone, so a pull never mixes the old landing's rows with the new one's.
 */
export async function resetOrdersDb(db: OrdersDatabase): Promise<void> {
  await ensureOrdersSchema(db);
  await queryOrdersDb(db, `TRUNCATE ${ORDERS_DB_TABLES.map(pgIdentifier).join(', ')}`);
}
