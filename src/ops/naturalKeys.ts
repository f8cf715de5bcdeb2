import type { Layer } from '../profiles/profile.js';

/**
 * The natural key of each medallion table, as the MERGEs of sql/silver and sql/gold match on it
 * (surrogate keys there are hashes of these): the default `--key` of `lhctl diff`. SCD2
 * dimensions key a version by business key + effective_from.
 * Bronze keeps raw duplicates on purpose, so it has none and is compared row by row.
 */
const NATURAL_KEYS: Partial<Record<Layer, Record<string, readonly string[]>>> = {
  silver: {
    customers: ['customer_id', 'updated_at'],
    products: ['product_id', 'updated_at'],
    stores: ['store_id', 'updated_at'],
    order_events: ['order_id', 'status'],
    inventory: ['snapshot_date', 'store_id', 'product_id'],
    sales_transactions: ['transaction_id', 'line_number'],
  },
  gold: {
    dim_customer: ['customer_id', 'effective_from'],
    dim_product: ['product_id', 'effective_from'],
    dim_store: ['store_id'],
    dim_date: ['date_key'],
    fact_sales: ['transaction_id', 'line_number', 'channel'],
    agg_daily_sales: ['date_key', 'store_sk', 'category', 'channel'],
  },
};

/** The key for a table of a layer, or undefined when none is known. */
export function naturalKeyOf(layer: Layer | undefined, table: string): readonly string[] | undefined {
  const lower = table.toLowerCase();
  if (layer) return NATURAL_KEYS[layer]?.[lower];
  // A table outside the profile's schemas (a copy, a test fixture) keeps the key of its namesake.
  return NATURAL_KEYS.gold?.[lower] ?? NATURAL_KEYS.silver?.[lower];
}
