import type { SourceManifest } from './manifest.js';
import { DefectPlan, UNKNOWN_STORE_ID, truncatedJson, type DefectMaker } from './defects.js';
import type { SourceFile } from './masterSources.js';
import { Random } from './random.js';
import { DAY_MS, DRIFT_BATCH, businessDay, isoTimestamp, type Customer, type Product, type Store } from './world.js';
import { LineWriter, csvLine } from './writer.js';

const HOUR_MS = 3_600_000;
const PAYMENT_METHODS = ['card', 'cash', 'mobile', 'gift_card'];

export interface Line {
  line_number: number;
  product_id: string;
  quantity: number;
  unit_price: number;
  discount_amount: number;
}

/** What a batch's event sources draw from: the master data as it stands after the batch. */
export interface EventContext {
  customers: Customer[];
  /** Customers changed in this batch; late events pick them, so their facts must carry the older version. */
  changedCustomerIds: string[];
  /** Customers that first land in the next batch (referenced now, resolved later). */
  arrivingCustomers: Customer[];
  products: Product[];
  stores: Store[];
  scale: number;
}

function basketLines(rng: Random, products: Product[], maxLines: number): Line[] {
  const picked = rng.sample(products.length, rng.int(1, maxLines));
  return picked.map((i, n) => {
    const p = products[i]!;
    const quantity = rng.int(1, 4);
    const discount = rng.chance(0.15) ? Math.round(p.unit_price * quantity * 10) / 100 : 0;
    return { line_number: n + 1, product_id: p.product_id, quantity, unit_price: p.unit_price, discount_amount: discount };
  });
}

function negated<T extends { items: Line[] }>(event: T): T {
  const items = event.items.map((l, i) => (i === 0 ? { ...l, quantity: -l.quantity } : l));
  return { ...event, items };
}

/** POS sales: one JSON line per transaction, as the register's Kafka payload carries it. */
export async function writeSalesTransactions(file: SourceFile, ctx: EventContext): Promise<{ manifest: SourceManifest; transactions: number; lines: number; arrivingRefs: number }> {
  const rng = new Random(file.seed, 'sales', 'rows', file.batch);
  const day = businessDay(file.batch);
  const targetLines = Math.max(100, Math.round(100_000 * ctx.scale));
  const shops = ctx.stores.filter((s) => s.store_id !== 'WEB');
  const changed = ctx.changedCustomerIds.length > 0 ? ctx.changedCustomerIds : ctx.customers.map((c) => c.customer_id);
  type Sale = { transaction_id: string | null; store_id: string; register_id: number; customer_id: string | null; event_ts: string; items: Line[]; payment_method?: string };
  const sales: Sale[] = [];
  let lines = 0;
  let late = 0;
  let arrivingRefs = 0;
  while (lines < targetLines) {
    const isLate = rng.chance(0.02);
    let customer: string | null = null;
    if (isLate) customer = rng.pick(changed);
    else if (ctx.arrivingCustomers.length > 0 && rng.chance(0.02)) customer = rng.pick(ctx.arrivingCustomers).customer_id;
    else if (rng.chance(0.7)) customer = rng.pick(ctx.customers).customer_id;
    if (!isLate && customer !== null && ctx.arrivingCustomers.some((c) => c.customer_id === customer)) arrivingRefs++;
    const eventMs = isLate ? day - rng.int(2, 6) * DAY_MS + rng.int(8 * 3600, 21 * 3600) * 1000 : day + rng.int(8 * 3600, 22 * 3600 - 1) * 1000;
    if (isLate) late++;
    const sale: Sale = {
      transaction_id: `T${String(file.batch).padStart(2, '0')}${String(sales.length + 1).padStart(7, '0')}`,
      store_id: rng.pick(shops).store_id,
      register_id: rng.int(1, 8),
      customer_id: customer,
      event_ts: isoTimestamp(eventMs),
      items: basketLines(rng, ctx.products, 5),
    };
    if (file.batch >= DRIFT_BATCH) sale.payment_method = rng.pick(PAYMENT_METHODS);
    lines += sale.items.length;
    sales.push(sale);
  }
  const plan = new DefectPlan<Sale>(new Random(file.seed, 'sales', 'defects', file.batch), sales.length, ['duplicate', 'null_key', 'malformed', 'negative_quantity', 'unknown_store']);
  const makeDefect: DefectMaker<Sale> = (reason, sale, cleanLine, ordinal) => {
    const fresh = { ...sale, transaction_id: `${sale.transaction_id}X${ordinal}` };
    if (reason === 'duplicate') return cleanLine;
    if (reason === 'malformed') return truncatedJson(cleanLine);
    if (reason === 'null_key') return JSON.stringify({ ...sale, transaction_id: null });
    if (reason === 'negative_quantity') return JSON.stringify(negated(fresh));
    return JSON.stringify({ ...fresh, store_id: UNKNOWN_STORE_ID });
  };
  const writer = new LineWriter(file.path);
  for (const [index, sale] of sales.entries()) await plan.write(writer, index, sale, JSON.stringify(sale), makeDefect);
  await writer.close();
  plan.ledger.add('late_event', late);
  const manifest: SourceManifest = {
    file: file.relative,
    format: 'jsonl',
    lines: writer.lines,
    cleanLines: sales.length,
    injected: plan.ledger.counts,
    addedColumns: file.batch === DRIFT_BATCH ? ['payment_method'] : [],
  };
  return { manifest, transactions: sales.length, lines, arrivingRefs };
}

/** Whether an order placed in `batch` (the i-th) is cancelled the next batch; otherwise it ships then delivers. */
function isCancelled(seed: string, batch: number, index: number): boolean {
  return new Random(seed, 'order-fate', batch, index).chance(0.05);
}

export function ordersPerBatch(scale: number): number {
  return Math.max(10, Math.round(5000 * scale));
}

function orderId(batch: number, index: number): string {
  return `O${String(batch).padStart(2, '0')}${String(index + 1).padStart(6, '0')}`;
}

/** Online orders: a `placed` event with the basket, then `shipped`/`delivered` or `cancelled` in later batches. */
export async function writeOrders(file: SourceFile, ctx: EventContext): Promise<SourceManifest> {
  const rng = new Random(file.seed, 'orders', 'rows', file.batch);
  const day = businessDay(file.batch);
  const count = ordersPerBatch(ctx.scale);
  type OrderEvent = { order_id: string | null; status: string; status_ts: string; customer_id?: string; order_ts?: string; items: Line[] };
  const events: OrderEvent[] = [];
  let late = 0;
  for (let i = 0; i < count; i++) {
    const isLate = rng.chance(0.02);
    if (isLate) late++;
    const placedMs = isLate ? day - rng.int(2, 6) * DAY_MS + rng.int(0, 86_399) * 1000 : day + rng.int(0, 86_399) * 1000;
    const ts = isoTimestamp(placedMs);
    events.push({ order_id: orderId(file.batch, i), status: 'placed', status_ts: ts, customer_id: rng.pick(ctx.customers).customer_id, order_ts: ts, items: basketLines(rng, ctx.products, 4) });
  }
  const updateTs = (): string => isoTimestamp(day + rng.int(1, 23) * HOUR_MS);
  if (file.batch >= 2) {
    for (let i = 0; i < ordersPerBatch(ctx.scale); i++) {
      const status = isCancelled(file.seed, file.batch - 1, i) ? 'cancelled' : 'shipped';
      events.push({ order_id: orderId(file.batch - 1, i), status, status_ts: updateTs(), items: [] });
    }
  }
  if (file.batch >= 3) {
    for (let i = 0; i < ordersPerBatch(ctx.scale); i++) {
      if (!isCancelled(file.seed, file.batch - 2, i)) events.push({ order_id: orderId(file.batch - 2, i), status: 'delivered', status_ts: updateTs(), items: [] });
    }
  }
  const json = (e: OrderEvent): string => JSON.stringify(e.status === 'placed' ? e : { order_id: e.order_id, status: e.status, status_ts: e.status_ts });
  // Defects sit next to placed events only: they carry the basket that negative quantities need.
  const plan = new DefectPlan<OrderEvent>(new Random(file.seed, 'orders', 'defects', file.batch), count, ['duplicate', 'null_key', 'malformed', 'negative_quantity']);
  const makeDefect: DefectMaker<OrderEvent> = (reason, e, cleanLine, ordinal) => {
    if (reason === 'duplicate') return cleanLine;
    if (reason === 'malformed') return truncatedJson(cleanLine);
    if (reason === 'null_key') return json({ ...e, order_id: null });
    return json(negated({ ...e, order_id: `${e.order_id}X${ordinal}` }));
  };
  const writer = new LineWriter(file.path);
  for (const [index, e] of events.entries()) {
    if (index < count) await plan.write(writer, index, e, json(e), makeDefect);
    else await writer.write(json(e));
  }
  await writer.close();
  plan.ledger.add('late_event', late);
  return { file: file.relative, format: 'jsonl', lines: writer.lines, cleanLines: events.length, injected: plan.ledger.counts, addedColumns: [] };
}

/** Inventory: one snapshot row per (store, product) sampled for the business day. */
export async function writeInventory(file: SourceFile, ctx: EventContext): Promise<SourceManifest> {
  const rng = new Random(file.seed, 'inventory', 'rows', file.batch);
  const shops = ctx.stores.filter((s) => s.store_id !== 'WEB');
  const pairs = shops.length * ctx.products.length;
  const picked = rng.sample(pairs, Math.max(20, Math.round(5000 * ctx.scale)));
  const date = isoTimestamp(businessDay(file.batch)).slice(0, 10);
  type Snapshot = (string | number | null)[];
  const plan = new DefectPlan<Snapshot>(new Random(file.seed, 'inventory', 'defects', file.batch), picked.length, ['duplicate', 'null_key', 'malformed', 'negative_quantity', 'unknown_store']);
  const makeDefect: DefectMaker<Snapshot> = (reason, row, cleanLine) => {
    if (reason === 'duplicate') return cleanLine;
    // Dirty rows keep the clean row's key: silver quarantines them before it deduplicates.
    const dirty = [...row];
    if (reason === 'null_key') dirty[2] = null;
    if (reason === 'malformed') dirty[3] = 'n/a';
    if (reason === 'negative_quantity') dirty[3] = -Number(row[3]) - 1;
    if (reason === 'unknown_store') dirty[1] = UNKNOWN_STORE_ID;
    return csvLine(dirty);
  };
  const writer = new LineWriter(file.path);
  await writer.write('snapshot_date,store_id,product_id,on_hand,on_order');
  for (const [index, pair] of picked.entries()) {
    const store = shops[Math.floor(pair / ctx.products.length)]!;
    const product = ctx.products[pair % ctx.products.length]!;
    const row: Snapshot = [date, store.store_id, product.product_id, rng.int(0, 200), rng.int(0, 50)];
    await plan.write(writer, index, row, csvLine(row), makeDefect);
  }
  await writer.close();
  return { file: file.relative, format: 'csv', lines: writer.lines - 1, cleanLines: picked.length, injected: plan.ledger.counts, addedColumns: [] };
}
