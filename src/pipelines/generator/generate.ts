import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCES, type SourceName } from '../jobs.js';
import { writeInventory, writeOrders, writeSalesTransactions, type EventContext } from './eventSources.js';
import type { BatchManifest, SourceManifest } from './manifest.js';
import { writeCustomers, writeProducts, writeStores, type SourceFile } from './masterSources.js';
import { World, businessDay, isoTimestamp } from './world.js';

/*
 * Sizes per batch at --scale 1 (everything scales linearly, with small floors):
 *   sales_transactions ≈ 33.4k POS transactions = 100k sold lines (≈ 14 MB of JSON lines)
 *   orders             5,000 placed orders + ≈ 9,750 status updates from batch 3 on (≈ 2.3 MB)
 *   customers          5,000 in batch 1; then ≈ 400 changed or re-sent + 150 new per batch
 *   products           1,000 in batch 1; then ≈ 70 changed or re-sent per batch
 *   stores             20 + the online store; then ≈ 4 overwritten per batch
 *   inventory          5,000 (store, product) snapshot rows
 * About 1–2 % of the lines carry one defect each; generation takes ≈ 0.3 s per batch.
 */

export interface GenerateOptions {
  /** The env's landing root, e.g. `<home>/local/landing`. */
  landingDir: string;
  seed: string;
  /** 1 ≈ 100k POS sales lines per batch. */
  scale: number;
  /** The landing the batches belong to (see BatchManifest.landing); part of every file name. */
  landing: string;
}

const EXTENSIONS: Record<SourceName, string> = {
  customers: 'csv',
  products: 'csv',
  stores: 'csv',
  inventory: 'csv',
  orders: 'json',
  sales_transactions: 'json',
};

/** Where the manifests live: beside the sources, never inside a source folder that bronze reads. */
export function manifestDir(landingDir: string): string {
  return join(landingDir, '_manifests');
}

export function manifestPath(landingDir: string, batch: number): string {
  return join(manifestDir(landingDir), `batch=${batch}.json`);
}

function sourceFile(options: GenerateOptions, source: SourceName, batch: number): SourceFile {
  const relative = `${source}/batch=${batch}/${source}_${String(batch).padStart(4, '0')}_${options.landing}.${EXTENSIONS[source]}`;
  return { path: join(options.landingDir, relative), relative, seed: options.seed, batch };
}

/**
 * Writes one batch of every source and its manifest. The content depends only on (seed, scale, batch),
 * so regenerating a batch rewrites identical files.
 */
export async function generateBatch(options: GenerateOptions, batch: number, world = new World(options.seed, options.scale)): Promise<BatchManifest> {
  for (const source of SOURCES) rmSync(join(options.landingDir, source, `batch=${batch}`), { recursive: true, force: true });
  const customers = world.customerExtract(batch);
  const products = world.productExtract(batch);
  const stores = world.storeExtract(batch);
  const ctx: EventContext = {
    customers: world.currentCustomers(batch),
    changedCustomerIds: customers.changedKeys,
    arrivingCustomers: world.arrivingCustomers(batch + 1),
    products: world.currentProducts(batch),
    stores: world.currentStores(batch),
    scale: options.scale,
  };
  const sources = {} as Record<SourceName, SourceManifest>;
  sources.customers = await writeCustomers(sourceFile(options, 'customers', batch), customers);
  sources.products = await writeProducts(sourceFile(options, 'products', batch), products);
  sources.stores = await writeStores(sourceFile(options, 'stores', batch), stores);
  sources.inventory = await writeInventory(sourceFile(options, 'inventory', batch), ctx);
  sources.orders = await writeOrders(sourceFile(options, 'orders', batch), ctx);
  const sales = await writeSalesTransactions(sourceFile(options, 'sales_transactions', batch), ctx);
  sources.sales_transactions = sales.manifest;

  const manifest: BatchManifest = {
    batch,
    seed: options.seed,
    scale: options.scale,
    landing: options.landing,
    businessDate: isoTimestamp(businessDay(batch)).slice(0, 10),
    sources,
    changes: { customers: customers.changes, products: products.changes, stores: stores.changes },
    sales: { transactions: sales.transactions, lines: sales.lines, lateArrivingCustomerRefs: sales.arrivingRefs },
  };
  mkdirSync(manifestDir(options.landingDir), { recursive: true });
  writeFileSync(manifestPath(options.landingDir, batch), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Writes batches `from`..`to` (inclusive), sharing one simulated world. */
export async function generateBatches(options: GenerateOptions, from: number, to: number): Promise<BatchManifest[]> {
  const world = new World(options.seed, options.scale);
  const manifests: BatchManifest[] = [];
  for (let batch = from; batch <= to; batch++) manifests.push(await generateBatch(options, batch, world));
  return manifests;
}

export function readManifest(landingDir: string, batch: number): BatchManifest {
  return JSON.parse(readFileSync(manifestPath(landingDir, batch), 'utf8')) as BatchManifest;
}

/** Batches already landed, by their manifests. */
export function landedBatches(landingDir: string): number[] {
  const dir = manifestDir(landingDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^batch=(\d+)\.json$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
