import { existsSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../core/errors.js';
import { DELTA_VERSION, installRuntime, localLayout, orphanedFolders, readManifest, serverStatus, SPARK_VERSION, startServer, stopServer, type InstallProgress } from '../ops/localEngine.js';
import type { Command, CommandContext, CommandData, CommandOutcome } from './command.js';
import { localServicesOf } from '../services/index.js';
import { type ServiceHost, serviceHost } from '../services/service.js';

function host(ctx: CommandContext): ServiceHost {
  return serviceHost(ctx.settings);
}

export function formatUptime(startedAt: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(startedAt)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
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

export const engineCommand: Command = {
  name: 'engine',
  summary: 'Install, start, stop and inspect the local Spark + Delta engine',
  positionals: [],
  verbs: [
    { name: 'install', summary: 'Install the Spark + Delta runtime under $LHCTL_HOME/runtime (once)', examples: ['lhctl engine install --force'] },
    {
      name: 'start',
      summary: "Start the local engine (installing the runtime first if needed), and the env's local Kafka broker and orders database if it names them",
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
