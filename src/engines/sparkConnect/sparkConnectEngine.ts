import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { CancelledError, QueryError, type LhctlError } from '../../core/errors.js';
import { Redactor } from '../../core/redaction.js';
import { closestNames } from '../../core/suggest.js';
import type { RecordBatch } from 'apache-arrow';
import type { Column, ResultStream, Row } from '../../core/types.js';
import { queryRows, type Capabilities, type EngineKind, type ExecuteOptions, type SqlEngine } from '../engine.js';
import { quoteIdentifier } from '../../sql/identifiers.js';
import { recordBatches, rowsFromArrowIpc } from '../arrowValues.js';
import { type ExecutePlanResponse, SparkConnectSession, type SparkConnectEndpoint } from './session.js';
import { type ServerLabel, toLhctlError } from './sparkErrors.js';
import { columnsFromSchema } from './sparkTypes.js';
import type { StreamEngine } from '../streams.js';
import { sparkConnectStreams } from './streaming.js';

export interface SparkConnectEngineOptions {
  kind: EngineKind;
  capabilities: Capabilities;
  endpoint: SparkConnectEndpoint;
  /** How errors name the server. */
  server: ServerLabel;
  /**
   * A failed statement the engine can make right and run again (the local engine sets aside a folder an
   * interrupted CREATE left); true when it did.
   */
  repair?: (error: QueryError) => boolean;
  /** Values (the token) scrubbed from every error this engine raises. */
  secrets?: readonly string[];
}

/** What the server runs, asked once when an env is opened. */
export interface ServerInfo {
  sparkVersion: string;
  /** Delta's SQL extension is configured (spark.sql.extensions). */
  delta: boolean;
}

const DELTA_EXTENSION = 'io.delta.sql.DeltaSparkSessionExtension';

/** A lakehouse behind a Spark Connect endpoint: the local engine lhctl runs, or a cluster an env names. */
export class SparkConnectEngine implements SqlEngine {
  readonly kind: EngineKind;
  readonly capabilities: Capabilities;
  private readonly session: SparkConnectSession;
  private readonly running = new Set<string>();
  private readonly redactor: Redactor | undefined;
  readonly streams: StreamEngine;

  constructor(private readonly options: SparkConnectEngineOptions) {
    this.kind = options.kind;
    this.redactor = options.secrets?.length ? new Redactor(options.secrets) : undefined;
    this.capabilities = options.capabilities;
    this.session = new SparkConnectSession(options.endpoint);
    this.streams = sparkConnectStreams((command, describe, signal) => this.command(command, describe, signal));
  }

  /** Streams resumed with ReattachExecute so far (the server closes long streams after its limits). */
  get reattachCount(): number {
    return this.session.reattachCount;
  }

  private mapError(error: unknown, sql: string): LhctlError {
    const mapped = toLhctlError(error, this.options.endpoint.protoDir, { sql, server: this.options.server });
    return this.redactor ? this.redactor.redactError(mapped) : mapped;
  }

  /** The server's Spark version and whether Delta's SQL is there: two small RPCs, no statement. */
  async serverInfo(): Promise<ServerInfo> {
    try {
      const sparkVersion = await this.session.sparkVersion();
      const extensions = (await this.session.getConfig(['spark.sql.extensions']))['spark.sql.extensions'] ?? '';
      return { sparkVersion, delta: extensions.split(',').some((e) => e.trim() === DELTA_EXTENSION) };
    } catch (error) {
      throw this.mapError(error, 'asking the server its version');
    }
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ResultStream> {
    try {
      return await this.open(sql, options);
    } catch (error) {
      if (!(error instanceof QueryError) || !this.options.repair?.(error)) throw error;
      return this.open(sql, options);
    }
  }

  private async open(sql: string, options: ExecuteOptions): Promise<ResultStream> {
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError('the statement was cancelled before it started');
    const operationId = randomUUID();
    let call: grpc.ClientReadableStream<ExecutePlanResponse> | undefined;
    const responses = this.session.executeSql(sql, operationId, (c) => (call = c));
    const iterator = responses[Symbol.asyncIterator]();
    let finished = false;
    const onAbort = (): void => {
      void this.session.interrupt(operationId);
      call?.cancel();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running.add(operationId);
    const cleanup = (): void => {
      signal?.removeEventListener('abort', onAbort);
      this.running.delete(operationId);
      if (!finished) onAbort();
    };

    // The server sends the schema ahead of the rows; wait for it so callers know the columns.
    let columns: Column[] | undefined;
    const early: Uint8Array[] = [];
    try {
      while (columns === undefined) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          columns = [];
          break;
        }
        if (next.value.schema) columns = columnsFromSchema(next.value.schema);
        else if (next.value.arrow_batch?.data?.length) early.push(next.value.arrow_batch.data);
      }
    } catch (error) {
      finished = true;
      cleanup();
      throw await this.withTableSuggestions(this.mapError(error, sql));
    }
    if (finished) cleanup();

    const engine = this;
    /** The Arrow IPC payload of each response, decoded by whichever view the consumer reads. */
    async function* payloads(): AsyncGenerator<Uint8Array> {
      try {
        yield* early.splice(0);
        while (!finished) {
          const next = await iterator.next();
          if (next.done) {
            finished = true;
            break;
          }
          const data = next.value.arrow_batch?.data;
          if (data && data.length > 0) yield data;
        }
      } catch (error) {
        finished = true;
        throw await engine.withTableSuggestions(engine.mapError(error, sql));
      } finally {
        // A consumer that stops early (a LIMIT on our side, Ctrl-C) cancels the server's work too.
        cleanup();
        if (!finished) void iterator.return?.(undefined);
      }
    }
    return {
      columns,
      async *[Symbol.asyncIterator](): AsyncGenerator<Row[]> {
        for await (const ipc of payloads()) {
          const rows = rowsFromArrowIpc(ipc);
          if (rows.length > 0) yield rows;
        }
      },
      async *arrowBatches(): AsyncGenerator<RecordBatch> {
        for await (const ipc of payloads()) {
          for (const batch of recordBatches(ipc)) if (batch.numRows > 0) yield batch;
        }
      },
    };
  }

  /**
   * Runs one Spark Connect command (a streaming query's start or control) to the end and returns its
   * responses; `describe` names it in an error.
   */
  async command(command: Record<string, unknown>, describe: string, signal?: AbortSignal): Promise<ExecutePlanResponse[]> {
    const operationId = randomUUID();
    let call: grpc.ClientReadableStream<ExecutePlanResponse> | undefined;
    const onAbort = (): void => {
      void this.session.interrupt(operationId);
      call?.cancel();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const responses: ExecutePlanResponse[] = [];
    try {
      for await (const response of this.session.executePlan({ command }, operationId, (c) => (call = c))) responses.push(response);
      return responses;
    } catch (error) {
      throw this.mapError(error, describe);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Session settings sent out of band (see SparkConnectSession.setConfig): never part of a statement. */
  async setSessionConfig(pairs: Record<string, string>): Promise<void> {
    try {
      await this.session.setConfig(pairs);
    } catch (error) {
      throw this.mapError(error, `setting ${Object.keys(pairs).join(', ')}`);
    }
  }

  /** A table that does not exist gets the closest existing names as suggestions. */
  private async withTableSuggestions(error: LhctlError): Promise<LhctlError> {
    if (!(error instanceof QueryError) || error.kind !== 'table-not-found') return error;
    const wanted = (error.parameters['relationName'] ?? error.parameters['tableName'] ?? '').replace(/`/g, '');
    if (!wanted) return error;
    try {
      const names = await this.allTableNames();
      const suggestions = closestNames(wanted, names);
      if (suggestions.length === 0) return error;
      return new QueryError(error.message, {
        kind: error.kind,
        ...(error.errorClass ? { errorClass: error.errorClass } : {}),
        ...(error.sqlState ? { sqlState: error.sqlState } : {}),
        parameters: error.parameters,
        suggestions,
        hint: `Did you mean ${suggestions.join(' or ')}?`,
        cause: error.cause,
      });
    } catch {
      return error;
    }
  }

  /** `schema.table` for every table in the catalog. */
  async allTableNames(): Promise<string[]> {
    const names: string[] = [];
    for (const [schema] of (await queryRows(this, 'SHOW SCHEMAS')).rows) {
      for (const row of (await queryRows(this, `SHOW TABLES IN ${quoteIdentifier(String(schema))}`)).rows) {
        if (row[2] !== true) names.push(`${String(row[0])}.${String(row[1])}`);
      }
    }
    return names;
  }

  async cancel(): Promise<void> {
    if (this.running.size > 0) await this.session.interrupt();
  }

  async separateSession(): Promise<SqlEngine> {
    return new SparkConnectEngine(this.options);
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  async stopSessions(sessionIds: readonly string[]): Promise<number> {
    let stopped = 0;
    for (const sessionId of sessionIds) {
      const leftover = new SparkConnectSession({ ...this.options.endpoint, sessionId });
      try {
        stopped += (await leftover.interrupt()).length;
        await leftover.releaseSession();
      } finally {
        leftover.close();
      }
    }
    return stopped;
  }

  async close(): Promise<void> {
    await this.session.releaseSession();
    this.session.close();
  }
}
