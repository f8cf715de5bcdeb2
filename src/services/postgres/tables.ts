import type pg from 'pg';
import { type OrdersDatabase, pgIdentifier, withOrdersDb } from './client.js';
import { columnOfField, fieldOfColumn } from './columns.js';

export { columnOfField, fieldOfColumn, LOADER_COLUMNS } from './columns.js';

/** The tables of the orders database the JDBC tasks pull. */
export const ORDERS_DB_TABLES = ['customers', 'inventory', 'orders'] as const;
export type OrdersDbTable = (typeof ORDERS_DB_TABLES)[number];

export interface OrdersDbTableSpec {
  /** How the same data lands as a file: CSV with a header line, or JSON lines. */
  format: 'csv' | 'jsonl';
  /** The source fields that name one row; a line missing one of them is kept under a key of its own. */
  key: readonly string[];
  /** The fields of the first batch, in file order; fields that appear later are added as they come. */
  fields: readonly string[];
}

export const ORDERS_DB_SPECS: Record<OrdersDbTable, OrdersDbTableSpec> = {
  customers: {
    format: 'csv',
    key: ['customer_id'],
    fields: ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'state', 'postal_code', 'segment', 'updated_at'],
  },
  inventory: { format: 'csv', key: ['snapshot_date', 'store_id', 'product_id'], fields: ['snapshot_date', 'store_id', 'product_id', 'on_hand', 'on_order'] },
  // One row per order status event; `items` holds the basket's JSON array as text, byte for byte.
  orders: { format: 'jsonl', key: ['order_id', 'status'], fields: ['order_id', 'status', 'status_ts', 'customer_id', 'order_ts', 'items'] },
};

function createTableSql(table: OrdersDbTable): string[] {
  const name = pgIdentifier(table);
  const sourceColumns = ORDERS_DB_SPECS[table].fields.map((f) => `  ${pgIdentifier(columnOfField(f))} text`);
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (\n  row_key text PRIMARY KEY,\n  batch integer NOT NULL,\n  updated_at timestamptz NOT NULL,\n${sourceColumns.join(',\n')}\n)`,
    `CREATE INDEX IF NOT EXISTS ${pgIdentifier(`${table}_updated_at`)} ON ${name} (updated_at)`,
  ];
}

/** Creates the three tables and their watermark indexes when missing (the JDBC pull finds them even before a load). */
export async function ensureOrdersSchema(db: OrdersDatabase): Promise<void> {
  await withOrdersDb(db, async (client) => {
    for (const table of ORDERS_DB_TABLES) for (const sql of createTableSql(table)) await client.query(sql);
  });
}

/** The source fields a table holds today, in column order (the file's field order, later fields last). */
export async function tableFields(client: pg.Client, table: OrdersDbTable): Promise<string[]> {
  const result = await client.query<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [
    table,
  ]);
  return result.rows.map((r) => fieldOfColumn(r.column_name)).filter((f): f is string => f !== undefined);
}

/** Adds a column per field met for the first time (schema drift, e.g. customers.loyalty_tier); returns the fields added. */
export async function addFields(client: pg.Client, table: OrdersDbTable, known: string[], met: string[]): Promise<string[]> {
  const added = met.filter((f) => !known.includes(f));
  for (const field of added) await client.query(`ALTER TABLE ${pgIdentifier(table)} ADD COLUMN IF NOT EXISTS ${pgIdentifier(columnOfField(field))} text`);
  return added;
}
