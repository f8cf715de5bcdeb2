import { EngineError } from '../../core/errors.js';
import { parseProgress, type StreamEngine, type StreamQueryId, type StreamStart } from '../streams.js';
import type { ExecutePlanResponse } from './session.js';

/** Runs one Spark Connect command to the end (LocalSqlEngine.command). */
export type RunCommand = (command: Record<string, unknown>, describe: string, signal?: AbortSignal) => Promise<ExecutePlanResponse[]>;

type QueryCommand = 'status' | 'recent_progress' | 'stop' | 'exception' | { await_termination: { timeout_ms: string } };

function startCommand(spec: StreamStart): Record<string, unknown> {
  const read = { common: { plan_id: '1' }, read: { is_streaming: true, data_source: { format: spec.source.format, options: spec.source.options } } };
  const input = { common: { plan_id: '2' }, project: { input: read, expressions: spec.columns.map((expression) => ({ expression_string: { expression } })) } };
  const trigger = 'availableNow' in spec.trigger ? { available_now: true } : { processing_time_interval: spec.trigger.processingTime };
  return {
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
}

/**
 * Structured Streaming over Spark Connect: WriteStreamOperationStart starts a query (a streaming read,
 * a projection of SQL expressions, a Delta table sink with its checkpoint), StreamingQueryCommand
 * drives it by id.
 */
export function sparkConnectStreams(run: RunCommand): StreamEngine {
  const command = async (query: StreamQueryId, what: QueryCommand, signal?: AbortSignal) => {
    const body = typeof what === 'string' ? { [what]: true } : what;
    const responses = await run({ streaming_query_command: { query_id: { id: query.id, run_id: query.runId }, ...body } }, `streaming query ${query.id}`, signal);
    return responses.find((r) => r.streaming_query_command_result)?.streaming_query_command_result ?? {};
  };
  return {
    async start(spec) {
      const describe = `streaming query ${spec.queryName} into ${spec.table}`;
      const started = (await run(startCommand(spec), describe)).find((r) => r.write_stream_operation_start_result)?.write_stream_operation_start_result;
      const id = started?.query_id?.id;
      const runId = started?.query_id?.run_id;
      if (!id || !runId) throw new EngineError(`${describe}: the engine started no streaming query`, { hint: "See the Spark driver's log (`lhctl engine logs` on the local engine)." });
      return { id, runId };
    },
    async status(query) {
      const status = (await command(query, 'status')).status ?? {};
      return { active: status.is_active === true, message: status.status_message ?? '', dataAvailable: status.is_data_available === true, triggerActive: status.is_trigger_active === true };
    },
    async recentProgress(query) {
      return ((await command(query, 'recent_progress')).recent_progress?.recent_progress_json ?? []).map(parseProgress);
    },
    async exception(query) {
      const exception = (await command(query, 'exception')).exception;
      return exception?.exception_message ? { message: exception.exception_message, errorClass: exception.error_class } : undefined;
    },
    async stop(query) {
      await command(query, 'stop');
    },
    async awaitEnd(query, timeoutMs, signal) {
      return (await command(query, { await_termination: { timeout_ms: String(timeoutMs) } }, signal)).await_termination?.terminated === true;
    },
  };
}
