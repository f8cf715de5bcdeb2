import { randomBytes } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, EngineNotRunningError } from '../../core/errors.js';
import { findJava, type JavaRuntime } from '../../engines/local/java.js';
import { freePort, isPortOpen } from '../../engines/local/server.js';
import { acquireStartLock, isProcessAlive, logTail, portIsFree, readState, terminate, writeState } from '../daemon.js';
import { daemonStatus, type ServiceHost, type ServiceStatus } from '../service.js';
import { installKafka, KAFKA_VERSION, readKafkaManifest } from './install.js';
import { type KafkaLayout, kafkaLayout } from './layout.js';
import { apiVersions, metadata } from './wire.js';

/** What a running broker left behind so later commands find it. */
export interface BrokerState {
  pid: number;
  port: number;
  controllerPort: number;
  startedAt: string;
  kafka: string;
}

const NODE_ID = 1;
const HOST = '127.0.0.1';

/** The broker's settings: KRaft combined mode on one node, 127.0.0.1 only, every replication factor 1. */
function serverProperties(layout: KafkaLayout, port: number, controllerPort: number): string {
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': NODE_ID,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    // A static voter set: the controller's port may change between starts (the old one taken).
    'controller.quorum.voters': `${NODE_ID}@${HOST}:${controllerPort}`,
    'log.dirs': layout.logDirs,
    'num.partitions': 1,
    // A misspelt topic is an error, not a new empty topic.
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 4,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
  };
  return `# Written by lhctl at each start of the local broker.\n${Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/** The ports of the last start, kept so the broker's address stays the same while they are free. */
function previousPorts(layout: KafkaLayout): { port: number; controllerPort: number } | undefined {
  if (!existsSync(layout.configFile)) return undefined;
  const listeners = /^listeners=PLAINTEXT:\/\/[^:]+:(\d+),CONTROLLER:\/\/[^:]+:(\d+)$/m.exec(readFileSync(layout.configFile, 'utf8'));
  return listeners ? { port: Number(listeners[1]), controllerPort: Number(listeners[2]) } : undefined;
}

async function choosePorts(layout: KafkaLayout): Promise<{ port: number; controllerPort: number }> {
  const previous = previousPorts(layout);
  const port = previous && (await portIsFree(previous.port)) ? previous.port : await freePort();
  let controllerPort = previous && previous.controllerPort !== port && (await portIsFree(previous.controllerPort)) ? previous.controllerPort : await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  return { port, controllerPort };
}

function classpath(layout: KafkaLayout): string {
  return `${layout.jarsDir}/*`;
}

/** Formats the storage once (a cluster id and the KRaft metadata log); later starts keep the data. */
function formatStorage(layout: KafkaLayout, java: JavaRuntime): void {
  if (existsSync(join(layout.logDirs, 'meta.properties'))) return;
  // Kafka's cluster ids are 16 random bytes in URL-safe base64; the tools refuse one starting with '-'.
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const format = spawnSync(java.bin, ['-cp', classpath(layout), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', layout.configFile], { encoding: 'utf8' });
  if (format.status !== 0) {
    throw new EngineError(`formatting the Kafka storage in ${layout.logDirs} failed`, { hint: (format.stdout + format.stderr).trim().split('\n').slice(-5).join('\n') });
  }
}

export async function brokerStatus(host: ServiceHost): Promise<ServiceStatus> {
  const layout = kafkaLayout(host.home);
  const state = readState<BrokerState>(layout.stateFile);
  const version = state?.kafka ?? readKafkaManifest(layout)?.kafka ?? `${KAFKA_VERSION} (not installed)`;
  return daemonStatus('kafka', state, { version, dataDir: layout.dataDir, logFile: layout.logFile });
}

export interface BrokerStartOptions {
  timeoutMs?: number;
  heap?: string;
}

/** Installs what is missing and starts the broker as a daemon (or reuses the running one), then waits until it answers. */
export async function startBroker(host: ServiceHost, onProgress?: (message: string) => void, options: BrokerStartOptions = {}): Promise<ServiceStatus> {
  const layout = kafkaLayout(host.home);
  const release = await acquireStartLock(layout.lockFile, 'the Kafka broker');
  try {
    const before = await brokerStatus(host);
    if (before.running) return before;
    if (before.stale) rmSync(layout.stateFile, { force: true });
    const java = findJava(host.javaHome);
    await installKafka(host, layout, java, onProgress);
    const { port, controllerPort } = await choosePorts(layout);
    mkdirSync(layout.logDirs, { recursive: true });
    mkdirSync(dirname(layout.logFile), { recursive: true });
    writeFileSync(layout.configFile, serverProperties(layout, port, controllerPort));
    formatStorage(layout, java);
    const state = spawnBroker(layout, java, host.env, port, controllerPort, options.heap ?? '512m');
    onProgress?.(`starting Kafka ${KAFKA_VERSION} on ${HOST}:${port}`);
    await waitUntilReady(layout, state, options.timeoutMs ?? 120_000);
    return brokerStatus(host);
  } finally {
    release();
  }
}

function spawnBroker(layout: KafkaLayout, java: JavaRuntime, env: NodeJS.ProcessEnv, port: number, controllerPort: number, heap: string): BrokerState {
  const log = openSync(layout.logFile, 'a');
  const args = [
    `-Xmx${heap}`,
    '-Xms128m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    '-cp',
    classpath(layout),
    'kafka.Kafka',
    layout.configFile,
  ];
  const child = spawn(java.bin, args, { cwd: layout.dataDir, detached: true, stdio: ['ignore', log, log], env });
  closeSync(log);
  child.unref();
  if (child.pid === undefined) throw new EngineError('could not start java for the Kafka broker', { hint: `See ${layout.logFile}.` });
  const state: BrokerState = { pid: child.pid, port, controllerPort, startedAt: new Date().toISOString(), kafka: KAFKA_VERSION };
  writeState(layout.stateFile, state);
  return state;
}

/** Ready means it answers: ApiVersions, then Metadata naming this broker (an open port alone comes earlier). */
async function waitUntilReady(layout: KafkaLayout, state: BrokerState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const address = { host: HOST, port: state.port };
  while (Date.now() < deadline) {
    if (!isProcessAlive(state.pid)) {
      rmSync(layout.stateFile, { force: true });
      throw exitedWhileStarting(layout, state);
    }
    try {
      await apiVersions(address);
      const cluster = await metadata(address, []);
      if (cluster.brokers.some((b) => b.nodeId === NODE_ID)) return;
    } catch {
      // not answering yet
    }
    await sleep(250);
  }
  throw new EngineError(`the Kafka broker did not answer on ${HOST}:${state.port} within ${Math.round(timeoutMs / 1000)} s`, {
    hint: 'See `lhctl services logs kafka`; stop it with `lhctl services stop kafka`.',
  });
}

function exitedWhileStarting(layout: KafkaLayout, state: BrokerState): EngineError {
  const tail = logTail(layout.logFile, 200);
  if (tail.some((line) => /Address already in use/.test(line))) {
    return new EngineError(`port ${state.port} or ${state.controllerPort} on ${HOST} is in use: the Kafka broker could not listen`, {
      hint: 'Stop what holds it, or run `lhctl services start kafka` again to pick free ports.',
    });
  }
  const cause = tail.filter((line) => /ERROR|Exception/.test(line)).slice(-3);
  return new EngineError('the Kafka broker exited while starting', {
    hint: `See the log: lhctl services logs kafka (${layout.logFile}).${cause.length > 0 ? `\n${cause.join('\n')}` : ''}`,
  });
}

/** SIGTERM (a controlled shutdown), then SIGKILL after a grace period; false when none ran. */
export async function stopBroker(host: ServiceHost, graceMs = 30_000): Promise<boolean> {
  const layout = kafkaLayout(host.home);
  const state = readState<BrokerState>(layout.stateFile);
  if (!state) return false;
  const wasAlive = isProcessAlive(state.pid);
  if (wasAlive) await terminate(state.pid, graceMs);
  rmSync(layout.stateFile, { force: true });
  return wasAlive;
}

/** The running broker's address, or an error that says how to start it. */
export async function runningBroker(host: ServiceHost): Promise<{ host: string; port: number }> {
  const layout = kafkaLayout(host.home);
  const state = readState<BrokerState>(layout.stateFile);
  if (!state || !isProcessAlive(state.pid) || !(await isPortOpen(state.port))) {
    throw new EngineNotRunningError('the local Kafka broker is not running', { hint: 'Start it with `lhctl services start kafka`.' });
  }
  return { host: HOST, port: state.port };
}
