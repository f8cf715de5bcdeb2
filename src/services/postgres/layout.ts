import { join } from 'node:path';

/**
 * Where the orders database lives under $LHCTL_HOME/local/postgres. The cluster (data/) belongs to the
 * user the server runs as; everything else (password, state, log) stays lhctl's own, out of the server's reach.
 */
export interface PostgresLayout {
  dir: string;
  /** The cluster initdb creates; 0700, owned by the server's user. */
  dataDir: string;
  /** Where the server puts its unix socket: inside the data folder, so only its owner (and root) reach it. */
  socketDir: string;
  /** The lhctl role's password, 0600, never handed to the server (it gets a SCRAM verifier). */
  passwordFile: string;
  /** The port chosen at the first start, kept while it stays free. */
  settingsFile: string;
  logFile: string;
  stateFile: string;
  lockFile: string;
}

export function postgresLayout(home: string): PostgresLayout {
  const dir = join(home, 'local', 'postgres');
  const dataDir = join(dir, 'data');
  return {
    dir,
    dataDir,
    socketDir: join(dataDir, 'socket'),
    passwordFile: join(dir, 'password'),
    settingsFile: join(dir, 'settings.json'),
    logFile: join(dir, 'logs', 'server.log'),
    stateFile: join(dir, 'server.json'),
    lockFile: join(dir, 'start.lock'),
  };
}

/** The database and role lhctl creates in it; the JDBC tasks read as this role. */
export const ORDERS_DATABASE = 'retail_orders';
export const ORDERS_USER = 'lhctl';
/** The bootstrap superuser: reachable only through the socket in the data folder. */
export const SUPERUSER = 'postgres';
