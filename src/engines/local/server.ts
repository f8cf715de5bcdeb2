import { spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { EngineError, EngineNotRunningError } from '../../core/errors.js';
import { acquireStartLock, isProcessAlive, readState, terminate } from '../../services/daemon.js';
import { ensureToken, readManifest, type RuntimeHost } from './install.js';
import { findJava } from './java.js';
import { localLayout, type LocalLayout } from './layout.js';
import { DELTA_VERSION, SPARK_VERSION } from './versions.js';

export { isProcessAlive };

/** What a running server left behind so later commands can reuse it. */
export interface ServerState {
  pid: number;
  port: number;
  startedAt: string;
  spark: string;
  delta: string;
}

export interface ServerStatus {
  running: boolean;
  state: ServerState | undefined;
  /** A state file whose process is gone or whose port does not answer. */
  stale: boolean;
  layout: LocalLayout;
}

// The module opens the JVM's java.base packages to Spark, as spark-submit does (JavaModuleOptions).
const JAVA_MODULE_OPTIONS = [
  'java.lang',
  'java.lang.invoke',
  'java.lang.reflect',
  'java.io',
  'java.net',
  'java.nio',
  'java.util',
  'java.util.concurrent',
  'java.util.concurrent.atomic',
  'jdk.internal.ref',
  'sun.nio.ch',
  'sun.nio.cs',
  'sun.security.action',
  'sun.util.calendar',
].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`);

/**
 * The server logs warnings and errors, plus the line saying where it listens. Spark's default (INFO)
 * writes every stage and the text of every plan: hundreds of MB a day in server.log, and CPU spent
 * formatting them on each statement.
 */
const LOG4J2_PROPERTIES = [
  'rootLogger.level = warn',
  'rootLogger.appenderRef.console.ref = console',
  'appender.console.type = Console',
  'appender.console.name = console',
  'appender.console.target = SYSTEM_ERR',
  'appender.console.layout.type = PatternLayout',
  'appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex',
  'logger.connect.name = org.apache.spark.sql.connect.service.SparkConnectServer',
  'logger.connect.level = info',
  '',
].join('\n');

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function serverStatus(home: string): Promise<ServerStatus> {
  const layout = localLayout(home);
  const state = readState<ServerState>(layout.stateFile);
  if (!state) return { running: false, state: undefined, stale: false, layout };
  const running = isProcessAlive(state.pid) && (await isPortOpen(state.port));
  return { running, state, stale: !running, layout };
}

export function serverJavaArgs(layout: LocalLayout, port: number, memory: string, extraSettings: Record<string, string> = {}): string[] {
  const settings: Record<string, string> = {
    'spark.master': 'local[*]',
    'spark.app.name': 'lhctl-local',
    'spark.connect.grpc.binding.address': '127.0.0.1',
    'spark.connect.grpc.binding.port': String(port),
    'spark.connect.grpc.maxInboundMessageSize': String(128 * 1024 * 1024),
    'spark.driver.host': '127.0.0.1',
    'spark.driver.bindAddress': '127.0.0.1',
    'spark.ui.enabled': 'false',
    'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
    'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
    'spark.sql.catalogImplementation': 'hive',
    'spark.sql.warehouse.dir': layout.warehouseDir,
    'spark.sql.session.timeZone': 'UTC',
    // One machine: a few shuffle partitions beat Spark's cluster default of 200.
    'spark.sql.shuffle.partitions': '4',
    // Likewise for the state of a Delta version read by time travel: Delta's 50 partitions cost more than a 1M-row scan here.
    'spark.databricks.delta.snapshotPartitions': '4',
    'spark.sql.adaptive.enabled': 'true',
    'spark.databricks.delta.retentionDurationCheck.enabled': 'true',
    'javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${layout.metastoreDir};create=true`,
    'derby.system.home': layout.dataDir,
    // No metastore connection pool: a statement interrupted (Ctrl-C, a killed run's leftovers) inside a
    // catalog call can leave its pooled connection checked out; once the pool ran dry every later catalog
    // call waited forever under the catalog's lock (seen here). Embedded Derby connections are cheap to open.
    'datanucleus.connectionPoolingType': 'None',
    ...extraSettings,
  };
  return [
    `-Xmx${memory}`,
    ...JAVA_MODULE_OPTIONS,
    '-Djdk.reflect.useDirectMethodHandle=false',
    '-Dio.netty.tryReflectionSetAccessible=true',
    `-Dlog4j2.configurationFile=${layout.logConfigFile}`,
    ...Object.entries(settings).map(([key, value]) => `-D${key}=${value}`),
    '-cp',
    `${layout.jarsDir}/*`,
    'org.apache.spark.sql.connect.service.SparkConnectServer',
  ];
}

export interface StartOptions {
  memory?: string;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
  /** Extra static Spark settings (tests shrink the reattach limits with these). */
  extraSettings?: Record<string, string>;
}

/**
 * Starts the server as a background daemon (or reuses the running one). The token goes through
 * the environment, not the command line, so it never shows in `ps`.
 */
export async function startServer(host: RuntimeHost, options: StartOptions = {}): Promise<ServerState> {
  const layout = localLayout(host.home);
  // Two commands starting the engine at once must not start two servers: the second reuses the first's.
  const release = await acquireStartLock(join(layout.dataDir, 'server.lock'), 'the engine');
  try {
    return await startUnlocked(host, layout, options);
  } finally {
    release();
  }
}

async function startUnlocked(host: RuntimeHost, layout: LocalLayout, options: StartOptions): Promise<ServerState> {
  const status = await serverStatus(host.home);
  if (status.running && status.state) return status.state;
  if (status.stale) rmSync(layout.stateFile, { force: true });
  if (!readManifest(layout)) {
    throw new EngineError('the local runtime is not installed', { hint: 'Run `lhctl engine install` (it downloads Spark and Delta once).' });
  }
  const java = findJava(host.javaHome);
  const token = ensureToken(layout);
  const port = await freePort();
  mkdirSync(dirname(layout.logFile), { recursive: true });
  mkdirSync(layout.warehouseDir, { recursive: true });
  writeFileSync(layout.logConfigFile, LOG4J2_PROPERTIES);
  const log = openSync(layout.logFile, 'a');
  const child = spawn(java.bin, serverJavaArgs(layout, port, options.memory ?? '4g', options.extraSettings), {
    cwd: layout.dataDir,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...host.env, SPARK_CONNECT_AUTHENTICATE_TOKEN: token, SPARK_LOCAL_IP: '127.0.0.1' },
  });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new EngineError('could not start java for the local engine', { hint: `See ${layout.logFile}.` });
  const state: ServerState = { pid: child.pid, port, startedAt: new Date().toISOString(), spark: SPARK_VERSION, delta: DELTA_VERSION };
  writeFileSync(layout.stateFile, JSON.stringify(state, null, 2) + '\n');

  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  options.onProgress?.(`starting the local engine (Spark ${SPARK_VERSION}, Delta ${DELTA_VERSION}) on 127.0.0.1:${port}`);
  while (Date.now() < deadline) {
    if (!isProcessAlive(child.pid)) {
      rmSync(layout.stateFile, { force: true });
      throw new EngineError('the local engine exited while starting', { hint: `See the log: lhctl engine logs (${layout.logFile}).` });
    }
    if (await isPortOpen(port)) return state;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new EngineError(`the local engine did not open port ${port} within ${Math.round((options.timeoutMs ?? 180_000) / 1000)} s`, {
    hint: 'See `lhctl engine logs`; stop it with `lhctl engine stop`.',
  });
}

/** Stops the server: SIGTERM, then SIGKILL after a grace period. Returns false when none ran. */
export async function stopServer(home: string, graceMs = 20_000): Promise<boolean> {
  const layout = localLayout(home);
  const state = readState<ServerState>(layout.stateFile);
  if (!state) return false;
  const wasAlive = isProcessAlive(state.pid);
  if (wasAlive) await terminate(state.pid, graceMs);
  rmSync(layout.stateFile, { force: true });
  return wasAlive;
}

export function notRunning(): EngineNotRunningError {
  return new EngineNotRunningError('the local engine is not running', { hint: 'Start it with `lhctl engine start`.' });
}
