import type { Random } from './random.js';

/** Retail master data as the source systems hold it, and the calendar of the batches. */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Batch n covers one business day; batches are a week apart so late events stay inside the previous week. */
export function businessDay(batch: number): number {
  return Date.UTC(2026, 0, 1) + 7 * (batch - 1) * DAY_MS;
}

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** The batch from which the optional `loyalty_tier` / `payment_method` columns appear. */
export const DRIFT_BATCH = 3;

export interface Customer {
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  street: string;
  city: string;
  state: string;
  postal_code: string;
  segment: string;
  updated_at: number;
}

export interface Product {
  product_id: string;
  product_name: string;
  category: string;
  brand: string;
  unit_price: number;
  updated_at: number;
}

export interface Store {
  store_id: string;
  store_name: string;
  city: string;
  state: string;
  region: string;
  store_type: string;
  manager: string;
  updated_at: number;
}

export const FIRST = ['Ana', 'Ben', 'Chloe', 'Dan', 'Eva', 'Femi', 'Gus', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Milo', 'Nora', 'Omar', 'Pia'];
export const LAST = ['Silva', 'Meyer', 'Okafor', 'Novak', 'Rossi', 'Tanaka', 'Dubois', 'Larsen', 'Kowalski', 'Haddad', 'Moreau', 'Costa'];
export const CITIES: [string, string, string][] = [
  ['Austin', 'TX', 'south'],
  ['Denver', 'CO', 'west'],
  ['Boston', 'MA', 'east'],
  ['Chicago', 'IL', 'central'],
  ['Seattle', 'WA', 'west'],
  ['Atlanta', 'GA', 'south'],
  ['Phoenix', 'AZ', 'west'],
  ['Columbus', 'OH', 'central'],
];
const STREETS = ['Oak St', 'Maple Ave', 'Pine Rd', 'Cedar Ln', 'Elm St', 'Birch Way', 'Lake Dr', 'Hill Rd'];
export const SEGMENTS = ['consumer', 'small_business', 'corporate'];
export const CATEGORIES = ['grocery', 'beverages', 'household', 'personal_care', 'electronics', 'apparel', 'toys', 'garden'];
export const BRANDS = ['Acme', 'Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Wingtip'];
export const STORE_TYPES = ['flagship', 'neighborhood', 'outlet'];

export function customerId(n: number): string {
  return `C${String(n).padStart(7, '0')}`;
}

export function address(rng: Random): Pick<Customer, 'street' | 'city' | 'state' | 'postal_code'> {
  const [city, state] = rng.pick(CITIES);
  return { street: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`, city, state, postal_code: String(rng.int(10000, 99999)) };
}

export function newCustomer(rng: Random, n: number, updatedAt: number): Customer {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  return {
    customer_id: customerId(n),
    first_name: first,
    last_name: last,
    email: `${first}.${last}${n}@mail.example`.toLowerCase(),
    phone: `+1-555-${String(rng.int(0, 9999999)).padStart(7, '0')}`,
    ...address(rng),
    segment: rng.pick(SEGMENTS),
    updated_at: updatedAt,
  };
}
