import type { JdbcSource, Profile } from '../profiles/profile.js';
import { columnOfField, LOADER_COLUMNS } from '../services/postgres/columns.js';
import { quoteIdentifier } from './identifiers.js';

/**
 * How the bundled SQL reads the orders database (bronze/jdbc_<source>.sql): as a catalog of tables. Locally
 * it is a Spark JDBC catalog the runner defines on the task's session (credentials out of band, see
 * pipelines/liveSources.ts); on Databricks, the Lakehouse Federation catalog the profile names, whose
 * connection holds the credentials. Either way no password is in the SQL.
 */
export const ORDERS_DB_CATALOG = 'lhctl_orders_db';

/** The column every table of the orders database carries: when the row last changed (set by the database). */
export const ORDERS_DB_WATERMARK: (typeof LOADER_COLUMNS)[number] = 'updated_at';

export function ordersDbRelation(profile: Profile, source: string): string | undefined {
  const db = profile.sources.ordersDb;
  if (!db) return undefined;
  const catalog = profile.engine === 'databricks' ? db.federatedCatalog : ORDERS_DB_CATALOG;
  return [catalog ?? ORDERS_DB_CATALOG, db.schema, source].map(quoteIdentifier).join('.');
}

/**
 * A pulled row as the line bronze keeps: one JSON object of the source's fields, named as the landed
 * file names them (the database's own columns left out, `source_updated_at` back under `updated_at`;
 * NULL cells left out as a landed line leaves them empty), so silver reads either alike. Orders carry
 * their basket as JSON text, which goes back in as JSON.
 */
export function ordersDbLine(source: JdbcSource): string {
  if (source === 'orders') {
    const fields = ['order_id', 'status', 'status_ts', 'customer_id', 'order_ts'].map((f) => `'${f}', ${quoteIdentifier(f)}`).join(', ');
    return `to_json(named_struct(${fields}, 'items', try_parse_json(${quoteIdentifier('items')})))`;
  }
  const own = LOADER_COLUMNS.map((c) => `'${c}'`).join(', ');
  const renamed = LOADER_COLUMNS.map((c) => `WHEN '${columnOfField(c)}' THEN '${c}'`).join(' ');
  return `to_json(transform_keys(map_filter(from_json(to_json(struct(*)), 'MAP<STRING, STRING>'), (k, v) -> k NOT IN (${own})), (k, v) -> CASE k ${renamed} ELSE k END))`;
}
