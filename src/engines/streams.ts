/**
 * Streaming queries, as an engine that can run one exposes them (`SqlEngine.streams`): start a query
 * that reads a streaming source and appends to a table, then drive it by id. A query lives in the engine
 * session that started it, so whoever starts one keeps that session open until the query ends.
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

/** What an engine with streaming offers; the local engine implements it over Spark Connect. */
export interface StreamEngine {
  start(spec: StreamStart): Promise<StreamQueryId>;
  status(query: StreamQueryId): Promise<StreamQueryStatus>;
  /** The progress reports the engine still holds (its last micro-batches), oldest first. */
  recentProgress(query: StreamQueryId): Promise<MicroBatchProgress[]>;
  /** Why the query stopped, when it failed; undefined when it did not. */
  exception(query: StreamQueryId): Promise<{ message: string; errorClass: string | undefined } | undefined>;
  stop(query: StreamQueryId): Promise<void>;
  /** Waits up to `timeoutMs` for the query to end; true when it has. A failed query raises its error here. */
  awaitEnd(query: StreamQueryId, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
}

interface ProgressJson {
  batchId?: number;
  timestamp?: string;
  numInputRows?: number;
  inputRowsPerSecond?: number;
  processedRowsPerSecond?: number;
  durationMs?: Record<string, number>;
  sources?: { startOffset?: unknown; endOffset?: unknown; latestOffset?: unknown; numInputRows?: number; inputRowsPerSecond?: number; processedRowsPerSecond?: number }[];
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
    // Spark 4 reports the counts per source; older servers also at the top.
    numInputRows: p.numInputRows ?? source.numInputRows ?? 0,
    inputRowsPerSecond: p.inputRowsPerSecond ?? source.inputRowsPerSecond ?? 0,
    processedRowsPerSecond: p.processedRowsPerSecond ?? source.processedRowsPerSecond ?? 0,
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
