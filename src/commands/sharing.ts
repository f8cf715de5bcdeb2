import { UsageError } from '../core/errors.js';
import { requireCapability } from './capability.js';
import type { Command, CommandContext, CommandOutcome } from './command.js';
import { numberOption } from './deltaTable.js';
import { formatUptime } from './engine.js';
import { readCatalog, runSharingServer, sharingEndpoint, sharingLayout, sharingStatus, startSharingServer, stopSharingServer } from '../services/sharing/index.js';
import type { ServiceStatus } from '../services/service.js';
import { serviceHost } from '../services/service.js';

/** The record `sharing status` and `engine status` show. */
export function sharingServerRecord(status: ServiceStatus, shares: number): Record<string, string | number | null> {
  return {
    state: status.running ? 'running' : status.stale ? 'stopped (stale state cleared on next start)' : 'stopped',
    endpoint: status.address ? sharingEndpoint(Number(status.address.split(':')[1])) : null,
    pid: status.pid ?? null,
    uptime: status.startedAt ? formatUptime(status.startedAt) : null,
    shares,
    log: status.logFile,
  };
}

async function statusOutcome(ctx: CommandContext, title: string): Promise<CommandOutcome> {
  const status = await sharingStatus(serviceHost(ctx.settings));
  const shares = readCatalog(sharingLayout(ctx.settings.home)).shares.length;
  return { data: { kind: 'record', title, data: sharingServerRecord(status, shares) } };
}

export const sharingCommand: Command = {
  name: 'sharing',
  summary: "The local Delta Sharing server: partners' clients read the local env's shares over the open protocol",
  positionals: [],
  verbs: [
    {
      name: 'serve',
      summary: 'Start the Delta Sharing server on 127.0.0.1 in the background (or reuse the running one); --foreground serves in this process',
      examples: ['lhctl sharing serve', 'lhctl sharing serve --port 8765'],
    },
    { name: 'status', summary: 'Whether the server runs, its endpoint and log', examples: ['lhctl sharing status --output json'] },
    { name: 'stop', summary: 'Stop the Delta Sharing server', examples: ['lhctl sharing stop'] },
  ],
  defaultVerb: 'status',
  options: {
    port: {
      type: 'number',
      integer: true,
      min: 1,
      max: 65535,
      verbs: ['serve'],
      description: 'serve: the port (kept for later starts; recipients need new profile files when it changes)',
      valueName: '<N>',
    },
    foreground: { type: 'boolean', verbs: ['serve'], description: 'serve: serve in this process until Ctrl-C' },
  },
  presentation: { changesEngineState: true },
  examples: ['lhctl sharing serve', 'lhctl sharing status', 'lhctl sharing stop'],
  async run(ctx, args) {
    requireCapability('sharing', ctx.profile, 'localRuntime');
    const verb = args.positionals[0] ?? 'status';
    const host = serviceHost(ctx.settings);
    switch (verb) {
      case 'serve': {
        const port = numberOption(args, 'port');
        if (args.options['foreground'] === true) {
          if (port === undefined) throw new UsageError('--foreground needs --port', { hint: 'lhctl sharing serve --foreground --port 8765' });
          await runSharingServer(host, port);
          return { data: { kind: 'message', text: 'Delta Sharing server stopped' } };
        }
        await startSharingServer(host, (m) => ctx.ui.progress(m), port);
        return statusOutcome(ctx, 'Delta Sharing server');
      }
      case 'status':
        return statusOutcome(ctx, 'Delta Sharing server');
      case 'stop': {
        const stopped = await stopSharingServer(host);
        return { data: { kind: 'message', text: stopped ? 'Delta Sharing server stopped' : 'Delta Sharing server was not running' } };
      }
      default:
        throw new UsageError(`unknown sharing verb "${verb}"`, { hint: 'Verbs: serve, status, stop.' });
    }
  },
};
