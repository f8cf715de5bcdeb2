import { postgresStatus, startPostgres, stopPostgres } from './postgres/server.js';
import type { LocalService } from './service.js';

export { jdbcUrl, type OrdersDatabase, ordersDbError, pgIdentifier, queryOrdersDb, withOrdersDb } from './postgres/client.js';
export { loadBatch, type TableLines, type TableLoadResult, updateRows } from './postgres/load.js';
export { ORDERS_DB_PASSWORD_ENV, ordersDatabase, remoteOrdersDatabase } from './postgres/server.js';
export { columnOfField, ensureOrdersSchema, fieldOfColumn, LOADER_COLUMNS, ORDERS_DB_SPECS, ORDERS_DB_TABLES, type OrdersDbTable } from './postgres/tables.js';

/** The local orders database (Debian's PostgreSQL, 127.0.0.1 only): orders, customers and inventory pulled over JDBC into bronze. */
export const postgresService: LocalService = {
  name: 'postgres',
  summary: 'PostgreSQL orders database (127.0.0.1 only): orders, customers and inventory pulled over JDBC into bronze',
  status: postgresStatus,
  start: (host, onProgress) => startPostgres(host, onProgress),
  stop: (host) => stopPostgres(host),
};
