import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, UsageError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import type { Row } from '../core/types.js';
import { isProcessAlive } from '../services/daemon.js';
import { currentStreamState, runStreamContinuously, streamLogFile, type StreamBatch, type StreamState } from '../ops/stream.js';
import { liveSourcesOf } from '../pipelines/liveSources.js';
import { requireWritable } from './arm.js';
import type { Command, CommandContext, CommandData, CommandOutcome } from './command.js';

const BATCH_COLUMNS = [
  { name: 'batch', type: 'int' },
  { name: 'at', type: 'timestamp' },
  { name: 'rows', type: 'int' },
  { name: 'rows_per_s', type: 'int' },
  { name: 'duration_ms', type: 'int' },
  { name: 'lag', type: 'int' },
  { name: 'silver_ms', type: 'int' },
  { name: 'offsets', type: 'string' },
] as const;

function batchRows(batches: StreamBatch[]): Row[] {
  return batches.map((b) => [b.batchId, b.at, b.rows, b.rowsPerSecond, b.durationMs, b.lag, b.silverMs ?? null, b.offsets]);
}

function stateData(state: StreamState | undefined, env: string): CommandData {
  if (!state) return { kind: 'message', text: `no stream has run on env ${env}; start one with \`lhctl stream start --env ${env}\`` };
  const last = state.recent.at(-1);
  return {
    kind: 'multi',
    results: [
      {
        kind: 'record',
        title: `sales stream on env ${env}`,
        data: {
          state: state.state,
          pid: state.state === 'running' || state.state === 'starting' || state.state === 'stopping' ? state.pid : null,
          topic: state.topic,
          brokers: state.bootstrapServers,
          trigger: state.trigger,
          started_at: state.startedAt,
          updated_at: state.updatedAt,
          rows: state.rows,
          batches: state.batches,
          lag: last?.lag ?? null,
          checkpoint: state.checkpoint,
          error: state.error,
        },
      },
      { kind: 'table', title: 'latest micro-batches', columns: BATCH_COLUMNS.map((c) => ({ ...c, nullable: true })), rows: batchRows(state.recent.slice(-10)) },
    ],
  };
}

function batchLine(b: StreamBatch): string {
  const silver = b.silverMs === undefined ? '' : `, silver in ${(b.silverMs / 1000).toFixed(1)} s`;
  return `micro-batch ${b.batchId}: ${b.rows} rows in ${b.durationMs} ms${b.lag === null ? '' : `, lag ${b.lag}`}${silver}`;
}

function live(ctx: CommandContext) {
  const sources = liveSourcesOf(ctx.profile, ctx.settings, (m) => ctx.ui.progress(m));
  if (!sources || !ctx.profile.sources.kafka) {
    throw new UsageError(`env ${ctx.profile.name} streams nothing: its profile names no Kafka topic`, { hint: 'Use an env with `sources.kafka`, e.g. --env live (profiles/live.yaml).' });
  }
  return sources;
}

/** Runs the stream in this process until Ctrl-C or SIGTERM (what `stream stop` sends). */
async function runForeground(ctx: CommandContext, trigger: string, maxPerBatch: number | undefined): Promise<CommandOutcome> {
  const sources = live(ctx);
  await requireWritable(ctx, `stream Kafka topic ${ctx.profile.sources.kafka?.topic} into ${ctx.profile.schemas.bronze}.sales_transactions`);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  process.once('SIGTERM', stop);
  try {
    const state = await runStreamContinuously(await ctx.engine(), ctx.profile, ctx.settings, {
      live: sources,
      trigger,
      ...(maxPerBatch ? { maxPerBatch } : {}),
      signal: controller.signal,
      onBatch: (b) => ctx.ui.progress(batchLine(b)),
      onNotice: (m) => ctx.ui.warn(m),
    });
    return { data: stateData(state, ctx.profile.name) };
  } finally {
    process.off('SIGTERM', stop);
    ctx.signal.removeEventListener('abort', stop);
  }
}

/** Starts `lhctl stream run` as a background process and waits until its query runs. */
async function start(ctx: CommandContext, triggerOption: string, maxPerBatch: number | undefined): Promise<CommandOutcome> {
  live(ctx);
  const env = ctx.profile.name;
  const before = currentStreamState(ctx.settings.home, env);
  if (before && (before.state === 'running' || before.state === 'starting')) {
    ctx.ui.progress(`the stream already runs (pid ${before.pid})`);
    return { data: stateData(before, env) };
  }
  await requireWritable(ctx, `stream Kafka topic ${ctx.profile.sources.kafka?.topic} into ${ctx.profile.schemas.bronze}.sales_transactions`);
  const logFile = streamLogFile(ctx.settings.home, env);
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  // --yes: this start already passed the write gate for the background process.
  const child = spawn(
    process.execPath,
    [join(packageRoot(), 'dist', 'cli.js'), 'stream', 'run', '--env', env, '--trigger', triggerOption, ...(maxPerBatch ? ['--max-per-batch', String(maxPerBatch)] : []), '--yes'],
    {
      detached: true,
      stdio: ['ignore', log, log],
      env: ctx.settings.processEnv,
    },
  );
  closeSync(log);
  child.unref();
  const deadline = Date.now() + 300_000;
  ctx.ui.progress(`starting the sales stream of env ${env} in the background (pid ${child.pid}, log ${logFile})`);
  while (Date.now() < deadline) {
    const state = currentStreamState(ctx.settings.home, env);
    if (state && state.pid === child.pid && state.state === 'running') return { data: stateData(state, env) };
    if (child.pid === undefined || !isProcessAlive(child.pid)) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-5).join('\n') : '';
      throw new EngineError(`the stream did not start${state?.error ? `: ${state.error}` : ''}`, { hint: `See ${logFile}:\n${tail}` });
    }
    await sleep(250, undefined, { signal: ctx.signal });
  }
  throw new EngineError('the stream did not start within 5 minutes', { hint: `See ${logFile}; stop it with \`lhctl stream stop --env ${env}\`.` });
}

async function stop(ctx: CommandContext): Promise<CommandOutcome> {
  const env = ctx.profile.name;
  const state = currentStreamState(ctx.settings.home, env);
  if (!state || !(state.state === 'running' || state.state === 'starting' || state.state === 'stopping')) {
    return { data: { kind: 'message', text: `no stream runs on env ${env}` } };
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (isProcessAlive(state.pid) && Date.now() < deadline) await sleep(200);
  if (isProcessAlive(state.pid)) {
    process.kill(state.pid, 'SIGKILL');
    ctx.ui.warn(`the stream process ${state.pid} did not stop within 60 s and was killed; its query resumes from the checkpoint on the next start`);
  }
  return { data: stateData(currentStreamState(ctx.settings.home, env), env) };
}

/** `lhctl stream`: the Kafka → bronze → silver sales stream, run continuously. */
export const streamCommand: Command = {
  name: 'stream',
  summary: 'The POS sales stream, Kafka → bronze → silver, run continuously: start, stop, status',
  positionals: [],
  verbs: [
    { name: 'start', summary: 'Start the stream in the background (its query keeps running until `stream stop`)', examples: ['lhctl stream start --env live'] },
    { name: 'stop', summary: 'Stop the stream: its query ends after the micro-batch in flight', examples: ['lhctl stream stop --env live'] },
    { name: 'status', summary: 'Whether the stream runs; rows, lag and duration of its latest micro-batches', examples: ['lhctl stream status --env live --output json'] },
    { name: 'run', summary: 'Run the stream in this terminal, a line per micro-batch, until Ctrl-C', examples: ['lhctl stream run --env live --trigger 5s'] },
  ],
  defaultVerb: 'status',
  options: {
    'max-per-batch': { type: 'number', integer: true, min: 1, verbs: ['start', 'run'], description: 'At most N events a micro-batch (default: all the topic holds)', valueName: '<N>' },
    trigger: { type: 'duration', bareUnit: 's', min: 100, max: 3_600_000, verbs: ['start', 'run'], description: 'Time between micro-batches (default 1s)', valueName: '<T>' },
  },
  presentation: { changesEngineState: true },
  examples: ['lhctl stream start --env live', 'lhctl stream status --env live', 'lhctl stream stop --env live'],
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'status';
    const triggerMs = (args.options['trigger'] as number | undefined) ?? 1000;
    const trigger = `${triggerMs} milliseconds`;
    const maxPerBatch = args.options['max-per-batch'] as number | undefined;
    switch (verb) {
      case 'start':
        return start(ctx, `${triggerMs / 1000}s`, maxPerBatch);
      case 'run':
        return runForeground(ctx, trigger, maxPerBatch);
      case 'stop':
        return stop(ctx);
      case 'status':
        return { data: stateData(currentStreamState(ctx.settings.home, ctx.profile.name), ctx.profile.name) };
      default:
        throw new UsageError(`unknown stream verb "${verb}"`, { hint: 'Use start, stop, status or run.' });
    }
  },
};
