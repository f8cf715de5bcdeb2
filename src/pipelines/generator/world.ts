import type { DimensionChanges } from './manifest.js';
import { Random } from './random.js';
import { BRANDS, CATEGORIES, CITIES, DAY_MS, FIRST, HOUR_MS, LAST, SEGMENTS, STORE_TYPES, address, businessDay, newCustomer, type Customer, type Product, type Store } from './entities.js';

export { DAY_MS, DRIFT_BATCH, businessDay, isoTimestamp, type Customer, type Product, type Store } from './entities.js';

/** A batch's extract of one master-data source: the rows it lands and what they mean. */
export interface Extract<T> {
  rows: T[];
  changes: DimensionChanges;
  /** Keys whose attributes changed in this batch. */
  changedKeys: string[];
}

/**
 * The master data the sources are cut from. Batch 1 lands full extracts; later batches land changes only:
 * changed rows, rows re-sent unchanged, and new customers created a day before the batch that carries them.
 */
export class World {
  readonly customerCount: number;
  readonly productCount: number;
  readonly storeCount: number;
  private readonly customerHistory: Extract<Customer>[] = [];
  private readonly productHistory: Extract<Product>[] = [];
  private readonly storeHistory: Extract<Store>[] = [];
  private readonly customers = new Map<string, Customer>();
  private readonly products = new Map<string, Product>();
  private readonly stores = new Map<string, Store>();

  constructor(
    readonly seed: string,
    readonly scale: number,
  ) {
    this.customerCount = Math.max(40, Math.round(5000 * scale));
    this.productCount = Math.max(30, Math.round(1000 * scale));
    this.storeCount = Math.max(5, Math.round(20 * scale));
  }

  /** Customers first landed in `batch` (batch ≥ 2): created half a day before the previous business day ends. */
  arrivingCustomers(batch: number): Customer[] {
    if (batch < 2) return [];
    const rng = new Random(this.seed, 'arriving-customers', batch);
    const count = Math.max(1, Math.round(this.customerCount * 0.03));
    const first = this.customerCount + (batch - 2) * count + 1;
    const created = businessDay(batch - 1) - 12 * HOUR_MS;
    return Array.from({ length: count }, (_, i) => newCustomer(rng, first + i, created + rng.int(0, 3600) * 1000));
  }

  customerExtract(batch: number): Extract<Customer> {
    this.advanceTo(batch);
    return this.customerHistory[batch - 1]!;
  }

  productExtract(batch: number): Extract<Product> {
    this.advanceTo(batch);
    return this.productHistory[batch - 1]!;
  }

  storeExtract(batch: number): Extract<Store> {
    this.advanceTo(batch);
    return this.storeHistory[batch - 1]!;
  }

  /** State after `batch` landed (the current version of every key). */
  currentCustomers(batch: number): Customer[] {
    this.advanceTo(batch);
    return [...this.customers.values()];
  }

  currentProducts(batch: number): Product[] {
    this.advanceTo(batch);
    return [...this.products.values()];
  }

  currentStores(batch: number): Store[] {
    this.advanceTo(batch);
    return [...this.stores.values()];
  }

  private advanceTo(batch: number): void {
    while (this.customerHistory.length < batch) {
      const b = this.customerHistory.length + 1;
      if (b === 1) this.seedMasterData();
      else this.evolve(b);
    }
  }

  private seedMasterData(): void {
    const rng = new Random(this.seed, 'master', 1);
    const early = Date.UTC(2025, 5, 1);
    const span = 180 * DAY_MS;
    for (let n = 1; n <= this.customerCount; n++) {
      const c = newCustomer(rng, n, early + Math.floor(rng.next() * span));
      this.customers.set(c.customer_id, c);
    }
    for (let n = 1; n <= this.productCount; n++) {
      const p: Product = {
        product_id: `P${String(n).padStart(6, '0')}`,
        product_name: `${rng.pick(BRANDS)} item ${n}`,
        category: rng.pick(CATEGORIES),
        brand: rng.pick(BRANDS),
        unit_price: rng.money(0.5, 250),
        updated_at: early + Math.floor(rng.next() * span),
      };
      this.products.set(p.product_id, p);
    }
    for (let n = 0; n <= this.storeCount; n++) {
      const [city, state, region] = rng.pick(CITIES);
      // Store WEB is the online channel's store, so online facts resolve a store too.
      const s: Store = {
        store_id: n === 0 ? 'WEB' : `S${String(n).padStart(3, '0')}`,
        store_name: n === 0 ? 'Online store' : `${city} ${n}`,
        city: n === 0 ? 'Online' : city,
        state: n === 0 ? 'NA' : state,
        region: n === 0 ? 'online' : region,
        store_type: n === 0 ? 'online' : rng.pick(STORE_TYPES),
        manager: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
        updated_at: early + Math.floor(rng.next() * span),
      };
      this.stores.set(s.store_id, s);
    }
    const all = <T>(m: Map<string, T>): Extract<T> => ({ rows: [...m.values()], changes: { added: m.size, changed: 0, resentUnchanged: 0 }, changedKeys: [] });
    this.customerHistory.push(all(this.customers));
    this.productHistory.push(all(this.products));
    this.storeHistory.push(all(this.stores));
  }

  private evolve(batch: number): void {
    const rng = new Random(this.seed, 'master', batch);
    const changeTime = (): number => businessDay(batch) + rng.int(0, 6 * 3600) * 1000;

    const customers = this.changeSet(
      rng,
      this.customers,
      0.06,
      0.02,
      (c) => {
        const kind = rng.next();
        if (kind < 0.5) return { ...c, ...address(rng) };
        if (kind < 0.8) return { ...c, email: `${c.first_name}.${c.last_name}.${batch}x${c.customer_id.slice(1)}@mail.example`.toLowerCase() };
        return { ...c, segment: SEGMENTS[(SEGMENTS.indexOf(c.segment) + 1) % SEGMENTS.length]! };
      },
      changeTime,
    );
    const arriving = this.arrivingCustomers(batch);
    for (const c of arriving) this.customers.set(c.customer_id, c);
    customers.rows.push(...arriving);
    customers.changes.added = arriving.length;
    this.customerHistory.push(customers);

    this.productHistory.push(
      this.changeSet(
        rng,
        this.products,
        0.06,
        0.01,
        (p) =>
          rng.next() < 0.8
            ? { ...p, unit_price: Math.max(0.5, Math.round(p.unit_price * (0.8 + rng.next() * 0.4) * 100) / 100) }
            : { ...p, category: CATEGORIES[(CATEGORIES.indexOf(p.category) + 1) % CATEGORIES.length]! },
        changeTime,
      ),
    );

    this.storeHistory.push(
      this.changeSet(
        rng,
        this.stores,
        0.2,
        0,
        (s) => (s.store_id === 'WEB' ? { ...s, manager: `${rng.pick(FIRST)} ${rng.pick(LAST)}` } : { ...s, manager: `${rng.pick(FIRST)} ${rng.pick(LAST)}`, store_type: rng.pick(STORE_TYPES) }),
        changeTime,
      ),
    );
  }

  /** Picks disjoint sets of keys to change and to re-send unchanged, applies the changes to `state`. */
  private changeSet<T extends { updated_at: number }>(rng: Random, state: Map<string, T>, changeRate: number, resendRate: number, change: (row: T) => T, changeTime: () => number): Extract<T> {
    const keys = [...state.keys()].sort();
    const changedCount = Math.max(1, Math.round(keys.length * changeRate));
    const resendCount = resendRate > 0 ? Math.max(1, Math.round(keys.length * resendRate)) : 0;
    const picked = rng.sample(keys.length, changedCount + resendCount).map((i) => keys[i]!);
    const order = picked
      .map((key) => ({ key, r: rng.next() }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.key);
    const rows: T[] = [];
    const changedKeys: string[] = [];
    order.forEach((key, i) => {
      const before = state.get(key)!;
      const after = i < changedCount ? change(before) : { ...before };
      after.updated_at = changeTime();
      state.set(key, after);
      rows.push(after);
      // A drawn change can land on the value already held (the same random store type); count what really changed.
      if (!sameAttributes(before, after)) changedKeys.push(key);
    });
    const changes = { added: 0, changed: changedKeys.length, resentUnchanged: rows.length - changedKeys.length };
    return { rows, changes, changedKeys };
  }
}

function sameAttributes<T extends { updated_at: number }>(a: T, b: T): boolean {
  return JSON.stringify({ ...a, updated_at: 0 }) === JSON.stringify({ ...b, updated_at: 0 });
}
