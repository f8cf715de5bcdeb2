import { existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../core/errors.js';
import { DELTA_VERSION, installRuntime, localLayout, orphanedFolders, readManifest, serverStatus, SPARK_VERSION, startServer, stopServer, type InstallProgress } from '../ops/localEngine.js';
import { queryRecords } from '../engines/engine.js';
import type { Command, CommandContext, CommandData, CommandOutcome } from './command.js';
import { envCan } from './capability.js';
import { envTarget } from './env.js';
import { localServicesOf } from '../services/index.js';
import { type ServiceHost, serviceHost } from '../services/service.js';
import { readCatalog, sharingEndpoint, sharingLayout, sharingStatus, startSharingServer } from '../services/sharing/index.js';

function host(ctx: CommandContext): ServiceHost {
  return serviceHost(ctx.settings);
}

export function formatUptime(startedAt: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}

/** Whether the env's home shares anything: then the Delta Sharing server runs beside the engine. */
function sharesExist(ctx: CommandContext): boolean {
  return readCatalog(sharingLayout(ctx.settings.home)).shares.length > 0;
}

/** The Delta Sharing server's line of the engine's status: null while nothing is shared. */
async function sharingLine(ctx: CommandContext): Promise<string | null> {
  if (!sharesExist(ctx)) return null;
  const sharing = await sharingStatus(host(ctx));
  return sharing.running && sharing.address ? `running on ${sharingEndpoint(Number(sharing.address.split(':')[1]))}` : 'stopped (lhctl sharing serve)';
}

async function status(ctx: CommandContext): Promise<CommandOutcome> {
  const current = await serverStatus(ctx.settings.home);
  const layout = current.layout;
  const manifest = readManifest(layout);
  const orphaned = orphanedFolders(layout.orphanedDir).length;
  return {
    data: {
      kind: 'record',
      title: 'local engine',
      data: {
        state: current.running ? 'running' : current.stale ? 'stopped (stale state cleared on next start)' : 'stopped',
        spark: manifest?.spark ?? `${SPARK_VERSION} (not installed)`,
        delta: manifest?.delta ?? `${DELTA_VERSION} (not installed)`,
        address: current.running && current.state ? `127.0.0.1:${current.state.port}` : null,
        pid: current.running && current.state ? current.state.pid : null,
        uptime: current.running && current.state ? formatUptime(current.state.startedAt) : null,
        data_dir: layout.dataDir,
        runtime_dir: layout.runtimeDir,
        log: layout.logFile,
        // Table folders interrupted CREATEs left, set aside rather than deleted (see orphanedTables.ts).
        orphaned_folders: orphaned === 0 ? null : `${orphaned} in ${layout.orphanedDir}`,
        sharing_server: await sharingLine(ctx),
      },
    },
  };
}

const FOLLOW_POLL_MS = 300;

function logs(ctx: CommandContext, lines: number, follow: boolean): CommandOutcome {
  const { logFile } = localLayout(ctx.settings.home);
  if (!follow && !existsSync(logFile)) return { data: { kind: 'message', text: `no log yet (${logFile})` } };
  // Read only the end of a log that can grow large.
  const size = existsSync(logFile) ? statSync(logFile).size : 0;
  const text = size === 0 ? '' : readFileSync(logFile, 'utf8').slice(size > 4_000_000 ? -4_000_000 : 0);
  const tail: CommandData = { kind: 'message', text: text.trimEnd().split('\n').slice(-lines).join('\n') };
  if (!follow) return { data: tail };
  return { data: { kind: 'multi', results: followed(logFile, size, tail, ctx.signal) } };
}

/** The tail, then whatever the engine appends, until Ctrl-C (a restart that truncates the log starts over). */
async function* followed(logFile: string, from: number, tail: CommandData, signal: AbortSignal): AsyncGenerator<CommandData> {
  if (tail.kind === 'message' && tail.text !== '') yield tail;
  let offset = from;
  while (!signal.aborted) {
    try {
      await sleep(FOLLOW_POLL_MS, undefined, { signal });
    } catch {
      return;
    }
    const size = existsSync(logFile) ? statSync(logFile).size : 0;
    if (size < offset) offset = 0;
    if (size === offset) continue;
    const handle = await open(logFile, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
      offset += bytesRead;
      yield { kind: 'message', text: buffer.subarray(0, bytesRead).toString('utf8').replace(/\n$/, '') };
    } finally {
      await handle.close();
    }
  }
}

export function installProgressReporter(ctx: CommandContext): (p: InstallProgress) => void {
  return (p) => {
    if (p.phase === 'resolve') ctx.ui.meter?.(`jars from Maven Central: ${p.detail}`, p.done, p.total);
    else if (p.phase === 'protos') ctx.ui.progress(`extracted ${p.done} Spark Connect protocol files`);
    else ctx.ui.progress(`installed ${p.detail}`);
  };
}

/** `engine start|stop|install|logs` act on the engine lhctl runs here; an env whose engine runs elsewhere says so. */
function requireLocalEngine(ctx: CommandContext, verb: string): void {
  if (envCan(ctx.profile, 'localRuntime')) return;
  throw new UsageError(`\`lhctl engine ${verb}\` does not apply to env ${ctx.profile.name}: its engine runs at ${envTarget(ctx.profile)}, which lhctl neither installs nor starts nor stops`, {
    hint: '`lhctl engine status` shows whether it answers; --env local for the engine on this machine.',
  });
}

/** An engine lhctl does not run: whether it answers, and what it runs. */
async function remoteStatus(ctx: CommandContext): Promise<CommandOutcome> {
  const engine = await ctx.engine();
  const [row] = await queryRecords(engine, 'SELECT version() AS version', { signal: ctx.signal });
  return {
    data: {
      kind: 'record',
      title: `engine of env ${ctx.profile.name}`,
      data: {
        state: 'answers',
        engine: ctx.profile.engine,
        target: envTarget(ctx.profile),
        spark: String(row?.['version'] ?? '').split(' ')[0] || null,
        delta: engine.capabilities.delta ? 'yes' : 'no (its spark.sql.extensions lacks io.delta.sql.DeltaSparkSessionExtension)',
      },
    },
  };
}

export const engineCommand: Command = {
  name: 'engine',
  summary: 'Install, start, stop and inspect the local Spark + Delta engine',
  positionals: [],
  verbs: [
    { name: 'install', summary: 'Install the Spark + Delta runtime under $LHCTL_HOME/runtime (once)', examples: ['lhctl engine install --force'] },
    {
      name: 'start',
      summary: "Start the local engine (installing the runtime first if needed), the env's local Kafka broker and orders database if it names them, and the Delta Sharing server when there are shares",
      examples: ['lhctl engine start', 'lhctl engine start --env live'],
    },
    { name: 'stop', summary: 'Stop the local engine', examples: ['lhctl engine stop'] },
    { name: 'status', summary: 'Whether the engine runs, its versions, address, folders and log', examples: ['lhctl engine status --output json'] },
    { name: 'logs', summary: "The end of the engine's log; -f follows it", examples: ['lhctl engine logs -n 200', 'lhctl engine logs -f'] },
  ],
  options: {
    force: { type: 'boolean', verbs: ['install'], description: 'install: resolve the runtime again even if it is intact' },
    lines: { type: 'number', integer: true, min: 1, short: 'n', verbs: ['logs'], description: 'logs: how many lines (default 50)', valueName: '<N>' },
    follow: { type: 'boolean', short: 'f', verbs: ['logs'], description: 'logs: keep printing what the engine writes until Ctrl-C' },
  },
  presentation: { changesEngineState: true },
  examples: ['lhctl engine start', 'lhctl engine status --output json', 'lhctl engine logs -n 200'],
  async run(ctx, args) {
    const verb = args.positionals[0];
    if (verb === 'status' && !envCan(ctx.profile, 'localRuntime')) return remoteStatus(ctx);
    if (verb !== undefined && verb !== 'status') requireLocalEngine(ctx, verb);
    switch (verb) {
      case 'install': {
        const result = await installRuntime(host(ctx), installProgressReporter(ctx), args.options['force'] === true);
        return {
          data: {
            kind: 'record',
            title: result.alreadyInstalled ? 'runtime already installed' : 'runtime installed',
            data: { spark: result.manifest.spark, delta: result.manifest.delta, jars: result.manifest.jars.length, dir: localLayout(ctx.settings.home).runtimeDir },
          },
        };
      }
      case 'start': {
        const before = await serverStatus(ctx.settings.home);
        if (!before.running && !readManifest(before.layout)) {
          ctx.ui.progress('installing the local runtime first (once)');
          await installRuntime(host(ctx), installProgressReporter(ctx));
        }
        await startServer(host(ctx), { onProgress: (m) => ctx.ui.progress(m) });
        if (before.running) ctx.ui.progress('the local engine was already running');
        // The servers the env's sources name, when they are the ones lhctl runs (profiles/live.yaml).
        for (const service of localServicesOf(ctx.profile)) {
          const started = await service.start(host(ctx), (m) => ctx.ui.progress(m));
          ctx.ui.progress(`${service.name} runs on ${started.address}`);
        }
        // Partners read the env's shares whenever the engine is up.
        if (sharesExist(ctx)) await startSharingServer(host(ctx), (m) => ctx.ui.progress(m));
        return status(ctx);
      }
      case 'stop': {
        const stopped = await stopServer(ctx.settings.home);
        return { data: { kind: 'message', text: stopped ? 'local engine stopped' : 'local engine was not running' } };
      }
      case 'status':
        return status(ctx);
      case 'logs': {
        return logs(ctx, (args.options['lines'] as number | undefined) ?? 50, args.options['follow'] === true);
      }
      default:
        throw new UsageError(`unknown engine verb "${verb ?? ''}"`);
    }
  },
};
