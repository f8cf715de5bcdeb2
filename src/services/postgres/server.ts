import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, EngineError, EngineNotRunningError } from '../../core/errors.js';
import { freePort, isPortOpen } from '../../engines/local/server.js';
import { acquireStartLock, isProcessAlive, portIsFree, readState, terminate, writeState } from '../daemon.js';
import { daemonStatus, type ServiceHost, type ServiceStatus } from '../service.js';
import { findPostgres, type PostgresBinaries } from './binaries.js';
import { type OrdersDatabase, type PgTarget, pgIdentifier, withOrdersDb } from './client.js';
import { ensurePassword, readPassword, scramVerifier } from './credentials.js';
import { ORDERS_DATABASE, ORDERS_USER, type PostgresLayout, postgresLayout, SUPERUSER } from './layout.js';
import { grantTraverse, runAs, type ServerUser, serverOwnedDir, serverUser } from './serverUser.js';
import { ensureOrdersSchema } from './tables.js';

/** What a running server left behind so later commands find it. */
export interface PostgresState {
  pid: number;
  port: number;
  startedAt: string;
  version: string;
}

const HOST = '127.0.0.1';
/** The variable that carries the password of an orders database lhctl does not run. */
export const ORDERS_DB_PASSWORD_ENV = 'LHCTL_ORDERS_DB_PASSWORD';

export async function postgresStatus(host: ServiceHost): Promise<ServiceStatus> {
  const layout = postgresLayout(host.home);
  const state = readState<PostgresState>(layout.stateFile);
  let version = state?.version;
  if (version === undefined) {
    try {
      version = findPostgres().version;
    } catch {
      version = '(not installed)';
    }
  }
  return daemonStatus('postgres', state, { version: `PostgreSQL ${version}`, dataDir: layout.dataDir, logFile: layout.logFile });
}

/** The port of the first start, kept while it is free, so a JDBC URL written down stays valid. */
async function choosePort(layout: PostgresLayout): Promise<number> {
  const previous = readState<{ port: number }>(layout.settingsFile)?.port;
  const port = previous !== undefined && (await portIsFree(previous)) ? previous : await freePort();
  writeState(layout.settingsFile, { port });
  return port;
}

/** Writes a file of the cluster as the server's account would (it must own its configuration). */
function writeServerFile(user: ServerUser, file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  if (user.switched) chownSync(file, user.uid, user.gid);
}

/**
 * Who may connect: over TCP only the lhctl role to its database, with a SCRAM-SHA-256 password; the
 * superuser only through the socket, whose folder (inside the 0700 data folder) only the server's account
 * and root can enter.
 */
function hbaConf(): string {
  return ['# Written by lhctl at each start of the local orders database.', `local all ${SUPERUSER} trust`, `host ${ORDERS_DATABASE} ${ORDERS_USER} ${HOST}/32 scram-sha-256`, ''].join('\n');
}

function majorOf(version: string): string {
  return version.split('.')[0] ?? version;
}

/** Creates the cluster once; a half-made one (initdb stopped) is removed so the next start can retry. */
function initCluster(layout: PostgresLayout, bins: PostgresBinaries, user: ServerUser, log: number): void {
  const versionFile = join(layout.dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const made = readFileSync(versionFile, 'utf8').trim();
    if (made !== majorOf(bins.version)) {
      throw new EngineError(`the orders database in ${layout.dataDir} was made by PostgreSQL ${made}; the installed server is ${bins.version}`, {
        hint: `Install PostgreSQL ${made} again (apt-get install -y postgresql-${made}), or remove ${layout.dataDir} to start an empty database.`,
      });
    }
    return;
  }
  for (const entry of readdirSync(layout.dataDir)) rmSync(join(layout.dataDir, entry), { recursive: true, force: true });
  const args = ['-D', layout.dataDir, '-U', SUPERUSER, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-instructions'];
  const init = spawnSync(join(bins.binDir, 'initdb'), args, { ...runAs(user), cwd: layout.dataDir, env: serverEnv(bins), stdio: ['ignore', log, log] });
  if (init.status !== 0) {
    for (const entry of readdirSync(layout.dataDir)) rmSync(join(layout.dataDir, entry), { recursive: true, force: true });
    throw new EngineError(`initdb failed to create the orders database in ${layout.dataDir}`, { hint: `See ${layout.logFile}.` });
  }
}

/** The server's environment: only what it needs, none of lhctl's (no variable of ours reaches it). */
function serverEnv(bins: PostgresBinaries): NodeJS.ProcessEnv {
  return { PATH: `${bins.binDir}:/usr/bin:/bin`, LANG: 'C', LC_ALL: 'C', TZ: 'UTC' };
}

function spawnServer(layout: PostgresLayout, bins: PostgresBinaries, user: ServerUser, port: number): PostgresState {
  const log = openSync(layout.logFile, 'a');
  const args = ['-D', layout.dataDir, '-p', String(port), '-k', layout.socketDir, '-c', `listen_addresses=${HOST}`];
  const child = spawn(join(bins.binDir, 'postgres'), args, { ...runAs(user), cwd: layout.dataDir, detached: true, stdio: ['ignore', log, log], env: serverEnv(bins) });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new EngineError('could not start the PostgreSQL server', { hint: `See ${layout.logFile}.` });
  const state: PostgresState = { pid: child.pid, port, startedAt: new Date().toISOString(), version: bins.version };
  writeState(layout.stateFile, state);
  return state;
}

function superuserTarget(layout: PostgresLayout, port: number): PgTarget {
  return { socketDir: layout.socketDir, port, database: 'postgres', user: SUPERUSER };
}

/** The log written since `offset`: why a start failed this time, not last time. */
function logSince(layout: PostgresLayout, offset: number): string {
  if (!existsSync(layout.logFile)) return '';
  return readFileSync(layout.logFile, 'utf8').slice(offset);
}

/** Ready means it answers a query through its socket (an open port comes before recovery has finished). */
async function waitUntilReady(layout: PostgresLayout, state: PostgresState, deadline: number, logOffset: number): Promise<'ready' | 'retry'> {
  while (Date.now() < deadline) {
    if (!isProcessAlive(state.pid)) {
      rmSync(layout.stateFile, { force: true });
      const log = logSince(layout, logOffset);
      // A SIGKILLed server's backends outlive it by a moment, holding its shared memory: start again then.
      if (/pre-existing shared memory block|lock file .* already exists/.test(log)) return 'retry';
      if (/could not bind|Address already in use/.test(log)) {
        throw new EngineError(`port ${state.port} on ${HOST} is in use: the orders database could not listen`, { hint: 'Stop what holds it, or run `lhctl services start postgres` again.' });
      }
      const cause = log
        .split('\n')
        .filter((line) => /FATAL|ERROR|PANIC/.test(line))
        .slice(-3);
      throw new EngineError('the PostgreSQL server exited while starting', { hint: `See \`lhctl services logs postgres\` (${layout.logFile}).${cause.length ? `\n${cause.join('\n')}` : ''}` });
    }
    try {
      await withOrdersDb(superuserTarget(layout, state.port), (c) => c.query('SELECT 1'));
      if (await isPortOpen(state.port)) return 'ready';
    } catch {
      // starting up, or recovering after a crash
    }
    await sleep(100);
  }
  throw new EngineError(`the orders database did not answer on ${HOST}:${state.port} in time`, { hint: 'See `lhctl services logs postgres`; stop it with `lhctl services stop postgres`.' });
}

/**
 * The role and database, created once; the role's password set from the 0600 file at every start, as a
 * SCRAM verifier computed here so the password itself never reaches the server.
 */
async function bootstrap(layout: PostgresLayout, port: number): Promise<void> {
  const { password } = ensurePassword(layout.passwordFile);
  chmodSync(layout.passwordFile, 0o600);
  const verifier = scramVerifier(password);
  await withOrdersDb(superuserTarget(layout, port), async (client) => {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ORDERS_USER]);
    const literal = `'${verifier.replace(/'/g, "''")}'`;
    const verb = role.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(`${verb} ROLE ${pgIdentifier(ORDERS_USER)} LOGIN PASSWORD ${literal}`);
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [ORDERS_DATABASE]);
    if (db.rowCount === 0) await client.query(`CREATE DATABASE ${pgIdentifier(ORDERS_DATABASE)} OWNER ${pgIdentifier(ORDERS_USER)} ENCODING 'UTF8'`);
  });
  await ensureOrdersSchema({ host: HOST, port, database: ORDERS_DATABASE, user: ORDERS_USER, password });
}

export interface PostgresStartOptions {
  timeoutMs?: number;
}

/** Creates the cluster on first use and starts the server as a daemon (or reuses the running one), then waits until it answers. */
export async function startPostgres(host: ServiceHost, onProgress?: (message: string) => void, options: PostgresStartOptions = {}): Promise<ServiceStatus> {
  const layout = postgresLayout(host.home);
  mkdirSync(dirname(layout.dir), { recursive: true });
  mkdirSync(layout.dir, { recursive: true, mode: 0o700 });
  const release = await acquireStartLock(layout.lockFile, 'the orders database');
  try {
    const before = await postgresStatus(host);
    if (before.running) return before;
    if (before.stale) rmSync(layout.stateFile, { force: true });
    const bins = findPostgres();
    const user = serverUser();
    mkdirSync(dirname(layout.logFile), { recursive: true });
    serverOwnedDir(user, layout.dataDir);
    grantTraverse(user, layout.dataDir);
    const log = openSync(layout.logFile, 'a');
    try {
      if (!existsSync(join(layout.dataDir, 'PG_VERSION'))) onProgress?.(`creating the orders database in ${layout.dataDir} (initdb, PostgreSQL ${bins.version})`);
      initCluster(layout, bins, user, log);
    } finally {
      closeSync(log);
    }
    writeServerFile(user, join(layout.dataDir, 'pg_hba.conf'), hbaConf());
    serverOwnedDir(user, layout.socketDir);
    const port = await choosePort(layout);
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    for (;;) {
      const logOffset = existsSync(layout.logFile) ? statSync(layout.logFile).size : 0;
      const state = spawnServer(layout, bins, user, port);
      onProgress?.(`starting PostgreSQL ${bins.version} on ${HOST}:${port}`);
      if ((await waitUntilReady(layout, state, deadline, logOffset)) === 'ready') break;
      await sleep(250);
    }
    await bootstrap(layout, port);
    return postgresStatus(host);
  } finally {
    release();
  }
}

/** A fast shutdown (SIGINT: open sessions are rolled back, a checkpoint is written), SIGKILL after the grace period. */
export async function stopPostgres(host: ServiceHost, graceMs = 30_000): Promise<boolean> {
  const layout = postgresLayout(host.home);
  const state = readState<PostgresState>(layout.stateFile);
  if (!state) return false;
  const wasAlive = isProcessAlive(state.pid);
  if (wasAlive) await terminate(state.pid, graceMs, 'SIGINT');
  rmSync(layout.stateFile, { force: true });
  return wasAlive;
}

/** The local orders database's address and credentials; starts nothing (an error with the command when it is down). */
export async function ordersDatabase(host: ServiceHost): Promise<OrdersDatabase> {
  const layout = postgresLayout(host.home);
  const state = readState<PostgresState>(layout.stateFile);
  const password = readPassword(layout.passwordFile);
  if (!state || !isProcessAlive(state.pid) || !(await isPortOpen(state.port)) || password === undefined) {
    throw new EngineNotRunningError('the local orders database (PostgreSQL) is not running', { hint: 'Start it with `lhctl services start postgres`.' });
  }
  return { host: HOST, port: state.port, database: ORDERS_DATABASE, user: ORDERS_USER, password };
}

/** An orders database lhctl does not run, named by its JDBC URL; its password only from the environment (LHCTL_ORDERS_DB_PASSWORD). */
export function remoteOrdersDatabase(url: string, user: string, env: NodeJS.ProcessEnv, passwordEnv = ORDERS_DB_PASSWORD_ENV, schema?: string): OrdersDatabase {
  const parsed = /^jdbc:postgresql:\/\/([^/:?]+)(?::(\d+))?\/([^?]+)/.exec(url);
  if (!parsed) throw new ConfigError(`not a PostgreSQL JDBC URL: ${url}`, { hint: 'Write it as jdbc:postgresql://<host>:<port>/<database>.' });
  const password = env[passwordEnv];
  if (!password) throw new ConfigError(`the orders database password is not set: ${passwordEnv} is empty`, { hint: `Export ${passwordEnv}; the password never goes in a file.` });
  return { host: parsed[1]!, port: Number(parsed[2] ?? 5432), database: decodeURIComponent(parsed[3]!), user, password, ...(schema ? { schema } : {}) };
}
