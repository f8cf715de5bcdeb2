import { EngineError } from '../../core/errors.js';
import type { LocalSqlEngine } from './localEngine.js';
import type { ExecutePlanResponse } from './sparkConnect.js';

/**
 * Structured Streaming over Spark Connect: start a query (WriteStreamOperationStart) and drive it by
 * id (StreamingQueryCommand). A query lives in the server session that started it, so whoever starts
 * one keeps that session open until the query ends.
 */
export interface StreamStart {
  /** The streaming source: a data source read with `is_streaming`. */
  source: { format: string; options: Record<string, string> };
  /** SQL expressions over the source's columns, each with its alias: the sink's columns. */
  columns: string[];
  /** A catalog table the query appends to. */
  table: string;
  checkpointLocation: string;
  queryName: string;
  /** `available-now` processes what is there and ends; an interval runs micro-batches until stopped. */
  trigger: { availableNow: true } | { processingTime: string };
}

export interface StreamQueryId {
  id: string;
  runId: string;
}

/** One micro-batch, from the query's progress report (StreamingQueryProgress as JSON). */
export interface MicroBatchProgress {
  batchId: number;
  timestamp: string;
  numInputRows: number;
  inputRowsPerSecond: number;
  processedRowsPerSecond: number;
  /** Wall time of the trigger, from durationMs.triggerExecution. */
  durationMs: number;
  /** Per source partition: where the batch started and ended, and the newest offset the source saw. */
  offsets: { partition: string; start: number | undefined; end: number; latest: number | undefined }[];
}

export interface StreamQueryStatus {
  active: boolean;
  message: string;
  dataAvailable: boolean;
  triggerActive: boolean;
}

function streamQueryId(response: ExecutePlanResponse[], describe: string): StreamQueryId {
  const started = response.find((r) => r.write_stream_operation_start_result)?.write_stream_operation_start_result;
  const id = started?.query_id?.id;
  const runId = started?.query_id?.run_id;
  if (!id || !runId) throw new EngineError(`${describe}: the engine started no streaming query`, { hint: 'See `lhctl engine logs`.' });
  return { id, runId };
}

export async function startStreamingQuery(engine: LocalSqlEngine, spec: StreamStart): Promise<StreamQueryId> {
  const read = { common: { plan_id: '1' }, read: { is_streaming: true, data_source: { format: spec.source.format, options: spec.source.options } } };
  const input = { common: { plan_id: '2' }, project: { input: read, expressions: spec.columns.map((expression) => ({ expression_string: { expression } })) } };
  const trigger = 'availableNow' in spec.trigger ? { available_now: true } : { processing_time_interval: spec.trigger.processingTime };
  const command = {
    write_stream_operation_start: {
      input,
      format: 'delta',
      options: { checkpointLocation: spec.checkpointLocation },
      output_mode: 'append',
      query_name: spec.queryName,
      table_name: spec.table,
      ...trigger,
    },
  };
  const describe = `streaming query ${spec.queryName} into ${spec.table}`;
  return streamQueryId(await engine.command(command, describe), describe);
}

type QueryCommand = 'status' | 'recent_progress' | 'last_progress' | 'stop' | 'exception' | 'process_all_available';

function queryCommand(engine: LocalSqlEngine, query: StreamQueryId, command: QueryCommand | { await_termination: { timeout_ms?: string } }, signal?: AbortSignal): Promise<ExecutePlanResponse[]> {
  const body = typeof command === 'string' ? { [command]: true } : command;
  return engine.command({ streaming_query_command: { query_id: { id: query.id, run_id: query.runId }, ...body } }, `streaming query ${query.id}`, signal);
}

function commandResult(responses: ExecutePlanResponse[]): NonNullable<ExecutePlanResponse['streaming_query_command_result']> {
  return responses.find((r) => r.streaming_query_command_result)?.streaming_query_command_result ?? {};
}

export async function streamStatus(engine: LocalSqlEngine, query: StreamQueryId): Promise<StreamQueryStatus> {
  const status = commandResult(await queryCommand(engine, query, 'status')).status ?? {};
  return { active: status.is_active === true, message: status.status_message ?? '', dataAvailable: status.is_data_available === true, triggerActive: status.is_trigger_active === true };
}

/** The progress reports the server still holds (its last few micro-batches), oldest first. */
export async function recentProgress(engine: LocalSqlEngine, query: StreamQueryId): Promise<MicroBatchProgress[]> {
  const reports = commandResult(await queryCommand(engine, query, 'recent_progress')).recent_progress?.recent_progress_json ?? [];
  return reports.map(parseProgress);
}

/** Why the query stopped, when it failed; undefined when it did not. */
export async function streamException(engine: LocalSqlEngine, query: StreamQueryId): Promise<{ message: string; errorClass: string | undefined } | undefined> {
  const exception = commandResult(await queryCommand(engine, query, 'exception')).exception;
  if (!exception?.exception_message) return undefined;
  return { message: exception.exception_message, errorClass: exception.error_class };
}

export async function stopStream(engine: LocalSqlEngine, query: StreamQueryId): Promise<void> {
  await queryCommand(engine, query, 'stop');
}

/** Waits up to `timeoutMs` for the query to end; true when it has. */
export async function awaitStreamEnd(engine: LocalSqlEngine, query: StreamQueryId, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const result = commandResult(await queryCommand(engine, query, { await_termination: { timeout_ms: String(timeoutMs) } }, signal));
  return result.await_termination?.terminated === true;
}

interface ProgressJson {
  batchId?: number;
  timestamp?: string;
  numInputRows?: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs?: Record<string, number>;
  sources?: { startOffset?: unknown; endOffset?: unknown; latestOffset?: unknown }[];
}

/** A Kafka source writes its offsets as {"topic": {"partition": offset}}; other sources are kept whole. */
function partitionOffsets(offset: unknown): Map<string, number> {
  const offsets = new Map<string, number>();
  const parsed = typeof offset === 'string' ? safeJson(offset) : offset;
  if (parsed && typeof parsed === 'object') {
    for (const [topic, partitions] of Object.entries(parsed as Record<string, unknown>)) {
      if (partitions && typeof partitions === 'object') {
        for (const [partition, value] of Object.entries(partitions as Record<string, unknown>)) if (typeof value === 'number') offsets.set(`${topic}/${partition}`, value);
      }
    }
  }
  return offsets;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseProgress(json: string): MicroBatchProgress {
  const p = (safeJson(json) ?? {}) as ProgressJson;
  const source = p.sources?.[0] ?? {};
  const start = partitionOffsets(source.startOffset);
  const end = partitionOffsets(source.endOffset);
  const latest = partitionOffsets(source.latestOffset);
  return {
    batchId: p.batchId ?? -1,
    timestamp: p.timestamp ?? '',
    numInputRows: p.numInputRows ?? 0,
    inputRowsPerSecond: p.inputRowsPerSecond ?? 0,
    processedRowsPerSecond: p.processedRowsPerSecond ?? 0,
    durationMs: p.durationMs?.['triggerExecution'] ?? 0,
    offsets: [...end.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([partition, value]) => ({ partition, start: start.get(partition), end: value, latest: latest.get(partition) })),
  };
}

/** Records the source holds beyond what the query has committed: the sum over partitions of latest − end. */
export function lagOf(progress: MicroBatchProgress): number | undefined {
  if (progress.offsets.length === 0 || progress.offsets.some((o) => o.latest === undefined)) return undefined;
  return progress.offsets.reduce((n, o) => n + Math.max(0, (o.latest ?? o.end) - o.end), 0);
}
