import type { DefectReason, SourceManifest } from './manifest.js';
import { DefectPlan, type DefectMaker } from './defects.js';
import { Random } from './random.js';
import { DRIFT_BATCH, isoTimestamp, type Customer, type Extract, type Product, type Store } from './world.js';
import { LineWriter, csvLine } from './writer.js';

export interface SourceFile {
  /** Absolute path of the file to write. */
  path: string;
  /** Path relative to the landing root, for the manifest. */
  relative: string;
  seed: string;
  batch: number;
}

type Cell = string | number | null;

interface CsvSource<T> {
  columns: string[];
  cells(row: T, rng: Random): Cell[];
  /** Column index of the business key (blanked for null_key) and of the field garbled for malformed. */
  keyColumn: number;
  malformedColumn: number;
  malformedValue: string;
  reasons: readonly DefectReason[];
}

const MASTER_REASONS: readonly DefectReason[] = ['duplicate', 'null_key', 'malformed'];

const LOYALTY_TIERS = ['basic', 'silver', 'gold'];

/** Emails arrive in mixed case and padded now and then; silver normalises them. */
function presentedEmail(email: string, rng: Random): string {
  const roll = rng.next();
  if (roll < 0.05) return email.toUpperCase();
  if (roll < 0.1) return ` ${email} `;
  return email;
}

function customerSource(batch: number): CsvSource<Customer> {
  const drift = batch >= DRIFT_BATCH;
  return {
    columns: ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state', 'postal_code', 'segment', 'updated_at', ...(drift ? ['loyalty_tier'] : [])],
    cells: (c, rng) => [
      c.customer_id,
      c.first_name,
      c.last_name,
      presentedEmail(c.email, rng),
      c.phone,
      c.street,
      c.city,
      c.state,
      c.postal_code,
      c.segment,
      isoTimestamp(c.updated_at),
      // Only some customers have a tier, so the drift column is optional even once it exists.
      ...(drift ? [Number(c.customer_id.slice(1)) % 4 === 0 ? null : LOYALTY_TIERS[Number(c.customer_id.slice(1)) % 3]!] : []),
    ],
    keyColumn: 0,
    malformedColumn: 10,
    malformedValue: 'not-a-date',
    reasons: MASTER_REASONS,
  };
}

const productSource: CsvSource<Product> = {
  columns: ['product_id', 'product_name', 'category', 'brand', 'unit_price', 'updated_at'],
  cells: (p) => [p.product_id, p.product_name, p.category, p.brand, p.unit_price.toFixed(2), isoTimestamp(p.updated_at)],
  keyColumn: 0,
  malformedColumn: 4,
  malformedValue: 'N/A',
  reasons: MASTER_REASONS,
};

const storeSource: CsvSource<Store> = {
  columns: ['store_id', 'store_name', 'city', 'state', 'region', 'store_type', 'manager', 'updated_at'],
  cells: (s) => [s.store_id, s.store_name, s.city, s.state, s.region, s.store_type, s.manager, isoTimestamp(s.updated_at)],
  keyColumn: 0,
  malformedColumn: 7,
  malformedValue: 'yesterday',
  reasons: MASTER_REASONS,
};

async function writeCsv<T>(file: SourceFile, name: string, source: CsvSource<T>, extract: Extract<T>): Promise<SourceManifest> {
  const rng = new Random(file.seed, name, 'rows', file.batch);
  const plan = new DefectPlan<Cell[]>(new Random(file.seed, name, 'defects', file.batch), extract.rows.length, source.reasons);
  const makeDefect: DefectMaker<Cell[]> = (reason, cells, cleanLine) => {
    if (reason === 'duplicate') return cleanLine;
    const dirty = [...cells];
    if (reason === 'null_key') dirty[source.keyColumn] = null;
    else dirty[source.malformedColumn] = source.malformedValue;
    return csvLine(dirty);
  };
  const writer = new LineWriter(file.path);
  await writer.write(source.columns.join(','));
  for (const [index, row] of extract.rows.entries()) {
    const cells = source.cells(row, rng);
    await plan.write(writer, index, cells, csvLine(cells), makeDefect);
  }
  await writer.close();
  return {
    file: file.relative,
    format: 'csv',
    lines: writer.lines - 1,
    cleanLines: extract.rows.length,
    injected: plan.ledger.counts,
    addedColumns: name === 'customers' && file.batch === DRIFT_BATCH ? ['loyalty_tier'] : [],
  };
}

export function writeCustomers(file: SourceFile, extract: Extract<Customer>): Promise<SourceManifest> {
  return writeCsv(file, 'customers', customerSource(file.batch), extract);
}

export function writeProducts(file: SourceFile, extract: Extract<Product>): Promise<SourceManifest> {
  return writeCsv(file, 'products', productSource, extract);
}

export function writeStores(file: SourceFile, extract: Extract<Store>): Promise<SourceManifest> {
  return writeCsv(file, 'stores', storeSource, extract);
}
