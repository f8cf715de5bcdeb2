import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import { qualifiedName } from '../sql/index.js';
import { CancelledError, EngineError, type LhctlError } from '../core/errors.js';
import type { StreamEngine, MicroBatchProgress, StreamStart } from '../engines/streams.js';

/**
 * The streaming ingestion: POS sales events from the env's Kafka topic appended to
 * bronze.sales_transactions by a Structured Streaming query, exactly once per offset (the checkpoint
 * records the offsets of each micro-batch and Delta's sink commits each batch once). Bronze rows look
 * like landed lines, so silver reads them the same way whatever the source.
 */
export const STREAM_TASK_SQL = 'bronze/stream_sales_transactions';
export const STREAM_QUERY_NAME = 'stream_sales_transactions';

/** Where the env's stream keeps its checkpoint: one per env and sink table, under $LHCTL_HOME locally. */
export function streamCheckpoint(home: string, profile: Profile): string {
  return join(home, 'local', 'checkpoints', profile.name, `${profile.schemas.bronze}.sales_transactions`);
}

/**
 * The bronze columns from a Kafka record: the value byte for byte as text, the landing batch from the
 * record's `batch` header (the generator sets it; NULL from other producers), and the record's
 * topic/partition@offset standing for the file a landed line came from.
 */
export const KAFKA_BRONZE_COLUMNS: readonly string[] = [
  'CAST(value AS STRING) AS value',
  "CAST(CAST(element_at(filter(headers, h -> h.key = 'batch'), 1).value AS STRING) AS INT) AS _batch_id",
  "concat('kafka:', topic, '/', CAST(partition AS STRING), '@', CAST(offset AS STRING)) AS _source_file",
  'current_timestamp() AS _ingested_at',
];

export interface StreamOptions {
  bootstrapServers: string;
  checkpointLocation: string;
  /** Available-now for a job task; a processing-time interval (e.g. `1 second`) when it runs continuously. */
  trigger: StreamStart['trigger'];
  /** At most this many events a micro-batch (Kafka's maxOffsetsPerTrigger); all that is there by default. */
  maxPerBatch?: number;
}

export function salesStream(profile: Profile, options: StreamOptions): StreamStart {
  const topic = profile.sources.kafka?.topic;
  if (!topic) throw new Error(`profile ${profile.name} names no Kafka topic`);
  return {
    source: {
      format: 'kafka',
      options: {
        'kafka.bootstrap.servers': options.bootstrapServers,
        subscribe: topic,
        startingOffsets: 'earliest',
        includeHeaders: 'true',
        // Offsets gone from the topic (retention) before bronze read them are an error, never skipped quietly.
        failOnDataLoss: 'true',
        // An unreachable broker fails the micro-batch within seconds, so the task's retries (with backoff) take over.
        'kafka.default.api.timeout.ms': '10000',
        'kafka.request.timeout.ms': '10000',
        'fetchOffset.numRetries': '1',
        // A pooled consumer polling a broker that went away waits this long, not spark.network.timeout (120 s).
        'kafkaConsumer.pollTimeoutMs': '10000',
        ...(options.maxPerBatch ? { maxOffsetsPerTrigger: String(options.maxPerBatch) } : {}),
      },
    },
    columns: [...KAFKA_BRONZE_COLUMNS],
    table: qualifiedName(profile.catalog, profile.schemas.bronze, 'sales_transactions'),
    checkpointLocation: options.checkpointLocation,
    queryName: `${STREAM_QUERY_NAME}_${profile.name}`.replace(/[^A-Za-z0-9_]/g, '_'),
    trigger: options.trigger,
  };
}

/** What one run of the stream did: the rows and micro-batches it committed, and where each partition ended. */
export interface StreamRunResult {
  rows: number;
  batches: MicroBatchProgress[];
}

/**
 * Runs the query with the spec's trigger until it ends on its own (available-now) or `signal` stops it,
 * and returns its progress. A query that fails raises why, in the operator's terms.
 */
export async function runStreamToEnd(streams: StreamEngine, spec: StreamStart, signal: AbortSignal): Promise<StreamRunResult> {
  const query = await streams.start(spec);
  const stop = (): void => void streams.stop(query).catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    // A failed query raises its exception from the wait itself.
    const ended = (): Promise<boolean> =>
      streams.awaitEnd(query, 1000).catch((error: unknown) => {
        throw signal.aborted ? new CancelledError(`${spec.queryName} was stopped`) : streamFailure(spec, error instanceof Error ? error.message : String(error));
      });
    while (!(await ended())) {
      if (signal.aborted) throw new CancelledError(`${spec.queryName} was stopped`);
    }
    if (signal.aborted) throw new CancelledError(`${spec.queryName} was stopped`);
    const failure = await streams.exception(query);
    if (failure) throw streamFailure(spec, failure.message);
    const batches = (await streams.recentProgress(query)).filter((b) => b.numInputRows > 0 || b.offsets.length > 0);
    return { rows: batches.reduce((n, b) => n + b.numInputRows, 0), batches };
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** A failed query's exception as an error that says what to do; the engine's text stays as the cause. */
export function streamFailure(spec: StreamStart, message: string): LhctlError {
  const servers = spec.source.options['kafka.bootstrap.servers'] ?? '';
  const topic = spec.source.options['subscribe'] ?? '';
  const firstLine = message.split('\n')[0]!.slice(0, 400);
  if (/Timed out waiting for a node assignment|TimeoutException|Connection to node .* could not be established|Failed to construct kafka/i.test(message)) {
    return new EngineError(`the Kafka broker at ${servers} did not answer (${spec.queryName}); nothing was appended after the last committed offset`, {
      hint: 'Check the broker (`lhctl services status`; start the local one with `lhctl services start kafka`), then run the job again: the stream resumes from its checkpoint.',
      cause: message,
    });
  }
  if (/UnknownTopicOrPartition|topic .* not present|does not exist/i.test(message)) {
    return new EngineError(`Kafka topic ${topic} does not exist on ${servers}`, {
      hint: `Create it (\`lhctl data generate --to kafka\` creates it locally), or fix sources.kafka.topic in the env's profile.`,
      cause: message,
    });
  }
  if (/checkpoint|offset log|STREAM_FAILED.*source/i.test(message) && /different|mismatch|incompatible|cannot|does not match/i.test(message)) {
    return new EngineError(`the checkpoint at ${spec.checkpointLocation} belongs to another query (${firstLine})`, {
      hint: `A checkpoint records one query's sources. Put back the profile's sources.kafka settings, or move the checkpoint aside to start reading ${topic} from its earliest offset (bronze then holds those events twice).`,
      cause: message,
    });
  }
  return new EngineError(`${spec.queryName} failed: ${firstLine}`, { hint: 'See `lhctl engine logs` for the whole error; the stream resumes from its checkpoint when run again.', cause: message });
}
