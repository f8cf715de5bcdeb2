import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { installRuntime, readManifest, type InstallProgress } from '../engines/local/install.js';
import { localLayout } from '../engines/local/layout.js';
import { orphanedFolders } from '../engines/local/orphanedTables.js';
import { serverStatus, startServer, stopServer } from '../engines/local/server.js';
import { DELTA_VERSION, SPARK_VERSION } from '../engines/local/versions.js';
import type { Command, CommandContext, CommandOutcome } from './command.js';

const VERBS = ['install', 'start', 'stop', 'status', 'logs'] as const;

function host(ctx: CommandContext): { home: string; javaHome: string | undefined; env: NodeJS.ProcessEnv } {
  return { home: ctx.settings.home, javaHome: ctx.settings.javaHome, env: ctx.settings.processEnv };
}

function formatUptime(startedAt: string): string {
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

function logs(ctx: CommandContext, lines: number): CommandOutcome {
  const { logFile } = localLayout(ctx.settings.home);
  if (!existsSync(logFile)) return { data: { kind: 'message', text: `no log yet (${logFile})` } };
  // Read only the end of a log that can grow large.
  const size = statSync(logFile).size;
  const text = readFileSync(logFile, 'utf8').slice(size > 4_000_000 ? -4_000_000 : 0);
  return { data: { kind: 'message', text: text.trimEnd().split('\n').slice(-lines).join('\n') } };
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
  positionals: [{ name: 'verb', description: VERBS.join('|'), required: true }],
  options: {
    force: { type: 'boolean', description: 'install: resolve the runtime again even if it is intact' },
    lines: { type: 'string', short: 'n', description: 'logs: how many lines (default 50)', valueName: '<N>' },
  },
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
        return status(ctx);
      }
      case 'stop': {
        const stopped = await stopServer(ctx.settings.home);
        return { data: { kind: 'message', text: stopped ? 'local engine stopped' : 'local engine was not running' } };
      }
      case 'status':
        return status(ctx);
      case 'logs': {
        const n = Number.parseInt(String(args.options['lines'] ?? '50'), 10);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError('--lines must be a positive whole number');
        return logs(ctx, n);
      }
      default:
        throw new UsageError(`unknown engine verb "${verb ?? ''}"`, { hint: `Use one of: ${VERBS.join(', ')}.` });
    }
  },
};
