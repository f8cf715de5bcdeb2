import { isPortOpen } from '../engines/local/server.js';
import type { Settings } from '../profiles/settings.js';
import { isProcessAlive } from './daemon.js';

/**
 * A server lhctl runs on this machine beside the engine (the Kafka broker, the orders database):
 * installed on first use, bound to 127.0.0.1, with its data, log and state file under $LHCTL_HOME.
 * `lhctl services` lists them and starts or stops one by name; the pipeline starts the ones an env's
 * sources name before a run needs them.
 */
export interface ServiceHost {
  home: string;
  javaHome: string | undefined;
  env: NodeJS.ProcessEnv;
}

/** The host a service (and the engine's server) runs on, from the settings lhctl read. */
export function serviceHost(settings: Settings): ServiceHost {
  return { home: settings.home, javaHome: settings.javaHome, env: settings.processEnv };
}

export interface ServiceStatus {
  name: string;
  running: boolean;
  /** A state file whose process is gone or whose port does not answer; cleared by the next start. */
  stale: boolean;
  /** host:port when running. */
  address: string | undefined;
  pid: number | undefined;
  startedAt: string | undefined;
  version: string;
  dataDir: string;
  logFile: string;
}

/** What every daemon lhctl runs keeps in its state file. */
export interface DaemonState {
  pid: number;
  port: number;
  startedAt: string;
}

/**
 * A daemon's status from its state file: running while its process lives and its port answers on 127.0.0.1,
 * stale when the file names one that does not.
 */
export async function daemonStatus(name: string, state: DaemonState | undefined, details: Pick<ServiceStatus, 'version' | 'dataDir' | 'logFile'>): Promise<ServiceStatus> {
  const running = state !== undefined && isProcessAlive(state.pid) && (await isPortOpen(state.port));
  return {
    name,
    running,
    stale: state !== undefined && !running,
    address: running ? `127.0.0.1:${state.port}` : undefined,
    pid: running ? state.pid : undefined,
    startedAt: running ? state.startedAt : undefined,
    ...details,
  };
}

export interface LocalService {
  name: 'kafka' | 'postgres';
  /** One line for `lhctl services` and help: what it is and what uses it. */
  summary: string;
  status(host: ServiceHost): Promise<ServiceStatus>;
  /** Installs what is missing, starts the server (or reuses the running one) and waits until it answers. */
  start(host: ServiceHost, onProgress?: (message: string) => void): Promise<ServiceStatus>;
  /** SIGTERM, then SIGKILL after a grace period; false when none ran. */
  stop(host: ServiceHost): Promise<boolean>;
}
