import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import { serverStatus, SPARK_VERSION } from '../ops/localEngine.js';
import { logTail } from '../services/daemon.js';
import { findService, LOCAL_SERVICES } from '../services/index.js';
import { listTopics } from '../services/kafka.js';
import { type LocalService, type ServiceHost, type ServiceStatus, serviceHost } from '../services/service.js';
import type { Command, CommandContext, CommandOutcome } from './command.js';
import { columnsNamed } from './deltaTable.js';
import { formatUptime } from './engine.js';

const STATUS_COLUMNS = columnsNamed(['name', 'state', 'address', 'pid', 'uptime', 'version', 'data_dir'], { pid: 'int' });
const TOPIC_COLUMNS = columnsNamed(['topic', 'partition', 'earliest', 'latest', 'records'], { partition: 'int', earliest: 'bigint', latest: 'bigint', records: 'bigint' });

function host(ctx: CommandContext): ServiceHost {
  return serviceHost(ctx.settings);
}

function stateOf(running: boolean, stale: boolean): string {
  return running ? 'running' : stale ? 'stopped (stale state cleared on next start)' : 'stopped';
}

function serviceRow(s: ServiceStatus): Row {
  return [s.name, stateOf(s.running, s.stale), s.address ?? null, s.pid ?? null, s.startedAt ? formatUptime(s.startedAt) : null, s.version, s.dataDir];
}

/** Every local server in one table: the Spark engine first, then the services. */
async function status(ctx: CommandContext): Promise<CommandOutcome> {
  const engine = await serverStatus(ctx.settings.home);
  const running = engine.running ? engine.state : undefined;
  const engineRow: Row = [
    'engine',
    stateOf(engine.running, engine.stale),
    running ? `127.0.0.1:${running.port}` : null,
    running?.pid ?? null,
    running ? formatUptime(running.startedAt) : null,
    `Spark ${engine.state?.spark ?? SPARK_VERSION}`,
    engine.layout.dataDir,
  ];
  const services = await Promise.all(LOCAL_SERVICES.map((s) => s.status(host(ctx))));
  return { data: { kind: 'table', title: 'local servers', columns: STATUS_COLUMNS, rows: [engineRow, ...services.map(serviceRow)] } };
}

function service(name: string | undefined): LocalService {
  const found = name === undefined ? undefined : findService(name);
  if (!found) {
    const names = LOCAL_SERVICES.map((s) => s.name).join(', ');
    throw new UsageError(name === undefined ? 'name the service' : `unknown service "${name}"`, { hint: `Services: ${names} (the engine has \`lhctl engine\`).` });
  }
  return found;
}

async function topics(ctx: CommandContext): Promise<CommandOutcome> {
  const rows = (await listTopics(host(ctx))).flatMap((topic) => topic.partitions.map((p): Row => [topic.name, p.partition, BigInt(p.earliest), BigInt(p.latest), BigInt(p.latest - p.earliest)]));
  return { data: { kind: 'table', title: 'topics of the local Kafka broker', columns: TOPIC_COLUMNS, rows } };
}

const SERVICE_OPERAND = [{ name: 'service', description: 'kafka (or another local service)', required: true }];

/** `lhctl services`: the servers lhctl runs on this machine beside the engine. */
export const servicesCommand: Command = {
  name: 'services',
  summary: 'Local servers beside the engine (Kafka broker, orders database): status, start, stop, logs, topics',
  positionals: [],
  verbs: [
    { name: 'status', summary: 'Every local server: state, address, pid, uptime, version, data folder', examples: ['lhctl services', 'lhctl services status --output json'] },
    { name: 'start', summary: 'Start a service (installing it first if needed)', positionals: SERVICE_OPERAND, examples: ['lhctl services start kafka'] },
    { name: 'stop', summary: 'Stop a service', positionals: SERVICE_OPERAND, examples: ['lhctl services stop kafka'] },
    { name: 'logs', summary: "The end of a service's log", positionals: SERVICE_OPERAND, examples: ['lhctl services logs kafka -n 200'] },
    { name: 'topics', summary: "The Kafka broker's topics: partitions, earliest and latest offsets", examples: ['lhctl services topics --output json'] },
  ],
  defaultVerb: 'status',
  options: {
    lines: { type: 'number', integer: true, min: 1, short: 'n', verbs: ['logs'], description: 'logs: how many lines (default 50)', valueName: '<N>' },
  },
  presentation: { changesEngineState: true },
  examples: ['lhctl services', 'lhctl services start kafka', 'lhctl services topics'],
  async run(ctx, args) {
    const [verb, name] = args.positionals;
    switch (verb) {
      case 'status':
        return status(ctx);
      case 'start': {
        const target = service(name);
        const before = await target.status(host(ctx));
        const after = await target.start(host(ctx), (m) => ctx.ui.progress(m));
        if (before.running) ctx.ui.progress(`${target.name} was already running`);
        return { data: { kind: 'table', title: `${target.name} started`, columns: STATUS_COLUMNS, rows: [serviceRow(after)] } };
      }
      case 'stop': {
        const target = service(name);
        const stopped = await target.stop(host(ctx));
        return { data: { kind: 'message', text: stopped ? `${target.name} stopped` : `${target.name} was not running` } };
      }
      case 'logs': {
        const { logFile } = await service(name).status(host(ctx));
        const lines = logTail(logFile, (args.options['lines'] as number | undefined) ?? 50);
        return { data: { kind: 'message', text: lines.length > 0 ? lines.join('\n') : `no log yet (${logFile})` } };
      }
      case 'topics':
        return topics(ctx);
      default:
        throw new UsageError(`unknown services verb "${verb ?? ''}"`);
    }
  },
};
