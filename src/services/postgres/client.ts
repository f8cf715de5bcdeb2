import pg from 'pg';
import { ConfigError, EngineError, EngineNotRunningError, QueryError } from '../../core/errors.js';

/** How to reach the orders database: what the JDBC side and the loader need, password included (never printed). */
export interface OrdersDatabase {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** The schema the tables are in, when not the user's default (public). */
  schema?: string;
}

/** A connection target for node-postgres: TCP, or the server's socket folder for the bootstrap superuser. */
export type PgTarget = OrdersDatabase | { socketDir: string; port: number; database: string; user: string };

export function jdbcUrl(db: Pick<OrdersDatabase, 'host' | 'port' | 'database'>): string {
  return `jdbc:postgresql://${db.host}:${db.port}/${db.database}`;
}

/** A PostgreSQL identifier in double quotes (PostgreSQL's rule, not Spark's backticks). */
export function pgIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function where(target: PgTarget): string {
  return 'socketDir' in target ? `${target.socketDir} (port ${target.port})` : `${target.host}:${target.port}/${target.database}`;
}

/** Driver and server errors as errors an operator can act on: what failed, where, what next. */
export function ordersDbError(error: unknown, target: PgTarget): Error {
  const e = error as { code?: string; message?: string };
  const at = where(target);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new EngineNotRunningError(`the orders database does not answer at ${at}`, {
      hint: 'Start the local one with `lhctl services start postgres`, or check the host and port the profile names.',
      cause: error,
    });
  }
  if (e.code === '28P01' || e.code === '28000') {
    return new ConfigError(`the orders database refused the login of ${target.user} at ${at} (${e.message})`, {
      hint: 'For the local database lhctl keeps the password itself; for another database export LHCTL_ORDERS_DB_PASSWORD.',
      cause: error,
    });
  }
  if (e.code === '3D000') {
    return new ConfigError(`the orders database ${target.database} does not exist at ${at}`, { hint: 'Start the local one with `lhctl services start postgres`.', cause: error });
  }
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return new QueryError(`orders database at ${at}: ${e.message}`, { kind: 'execution', sqlState: e.code, cause: error });
  }
  return new EngineError(`the orders database at ${at} failed: ${e.message ?? String(error)}`, { cause: error });
}

function clientConfig(target: PgTarget): pg.ClientConfig {
  const common = { port: target.port, database: target.database, user: target.user, connectionTimeoutMillis: 10_000, application_name: 'lhctl' };
  if ('socketDir' in target) return { ...common, host: target.socketDir };
  // search_path as a startup option: every statement of the connection resolves the tables in that schema.
  return { ...common, host: target.host, password: target.password, ...(target.schema ? { options: `-c search_path=${pgIdentifier(target.schema)}` } : {}) };
}

/** Opens a connection, runs `work` on it and closes it; driver errors become typed errors. */
export async function withOrdersDb<T>(target: PgTarget, work: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!('socketDir' in target) && target.password === '') {
    throw new ConfigError(`no password for ${target.user} at ${where(target)}`, {
      hint: 'For the local database lhctl keeps the password itself; for another database export LHCTL_ORDERS_DB_PASSWORD.',
    });
  }
  const client = new pg.Client(clientConfig(target));
  // An idle connection the server drops must not crash the process: the next query reports it instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw ordersDbError(error, target);
  }
  try {
    return await work(client);
  } catch (error) {
    throw error instanceof EngineError || error instanceof ConfigError || error instanceof QueryError ? error : ordersDbError(error, target);
  } finally {
    await client.end().catch(() => {});
  }
}

/** One statement with $1… parameters, its rows as objects (what the tests and the lead's "row updated" case need). */
export function queryOrdersDb(target: PgTarget, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return withOrdersDb(target, async (client) => (await client.query(sql, params)).rows);
}
