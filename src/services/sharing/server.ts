import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../core/errors.js';
import { freePort, isPortOpen } from '../../engines/local/server.js';
import { acquireStartLock, isProcessAlive, logTail, portIsFree, readState, terminate, writeState } from '../daemon.js';
import { type DaemonState, daemonStatus, type ServiceHost, type ServiceStatus } from '../service.js';
import { readCatalog, updateCatalog } from './catalog.js';
import { ENDPOINT_PATH, sharingServer } from './http.js';
import { type SharingLayout, sharingLayout } from './layout.js';

type SharingServerState = DaemonState;

const HOST = '127.0.0.1';
export const SHARING_PROTOCOL_VERSION = 'Delta Sharing protocol 1';

export function sharingEndpoint(port: number): string {
  return `http://${HOST}:${port}${ENDPOINT_PATH}`;
}

export async function sharingStatus(host: ServiceHost): Promise<ServiceStatus> {
  const layout = sharingLayout(host.home);
  return daemonStatus('sharing', readState<SharingServerState>(layout.stateFile), { version: SHARING_PROTOCOL_VERSION, dataDir: layout.dir, logFile: layout.logFile });
}

/**
 * The port recipients' profile files name: the one asked for, else the one kept in the catalog, else a new free
 * one (kept from then on).
 */
export async function sharingPort(layout: SharingLayout, requested?: number): Promise<number> {
  const kept = readCatalog(layout).port;
  const port = requested ?? kept ?? (await freePort());
  if (port !== kept) await updateCatalog(layout, (catalog) => (catalog.port = port));
  return port;
}

/** Starts the server as a daemon (or reuses the running one) and waits until it answers. */
export async function startSharingServer(host: ServiceHost, onProgress?: (message: string) => void, requestedPort?: number): Promise<ServiceStatus> {
  const layout = sharingLayout(host.home);
  const release = await acquireStartLock(layout.lockFile, 'the Delta Sharing server');
  try {
    const before = await sharingStatus(host);
    if (before.running && (requestedPort === undefined || before.address === `${HOST}:${requestedPort}`)) return before;
    if (before.running) await stopSharingServer(host);
    if (before.stale) rmSync(layout.stateFile, { force: true });
    const port = await sharingPort(layout, requestedPort);
    if (!(await portIsFree(port))) {
      throw new EngineError(`port ${port} on ${HOST} is taken: the Delta Sharing server cannot listen there`, {
        hint: 'Stop what holds it, or pick another with `lhctl sharing serve --port N` (recipients then need new profile files: `lhctl recipients rotate-token <name>`).',
      });
    }
    mkdirSync(dirname(layout.logFile), { recursive: true });
    const log = openSync(layout.logFile, 'a');
    const child = spawn(process.execPath, [process.argv[1]!, 'sharing', 'serve', '--foreground', '--port', String(port)], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...host.env, LHCTL_HOME: host.home },
    });
    closeSync(log);
    child.unref();
    if (child.pid === undefined) throw new EngineError('could not start the Delta Sharing server', { hint: `See ${layout.logFile}.` });
    onProgress?.(`starting the Delta Sharing server on ${sharingEndpoint(port)}`);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (!isProcessAlive(child.pid)) break;
      if (await isPortOpen(port)) return sharingStatus(host);
      await sleep(100);
    }
    throw new EngineError('the Delta Sharing server did not start', { hint: `See its log (${layout.logFile}):\n${logTail(layout.logFile, 5).join('\n')}` });
  } finally {
    release();
  }
}

/** Serves in this process until SIGTERM or SIGINT (what the daemon runs). */
export async function runSharingServer(host: ServiceHost, port: number): Promise<void> {
  const layout = sharingLayout(host.home);
  const server = sharingServer(layout, host.home, port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  writeState(layout.stateFile, { pid: process.pid, port, startedAt: new Date().toISOString() } satisfies SharingServerState);
  console.error(`${new Date().toISOString()} Delta Sharing server listening on ${sharingEndpoint(port)}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  const state = readState<SharingServerState>(layout.stateFile);
  if (state?.pid === process.pid) rmSync(layout.stateFile, { force: true });
}

export async function stopSharingServer(host: ServiceHost): Promise<boolean> {
  const layout = sharingLayout(host.home);
  const state = readState<SharingServerState>(layout.stateFile);
  if (!state) return false;
  const wasAlive = isProcessAlive(state.pid);
  if (wasAlive) await terminate(state.pid, 5_000);
  rmSync(layout.stateFile, { force: true });
  return wasAlive;
}
