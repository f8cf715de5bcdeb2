import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { sparkConnectStub, type SparkConnectStub } from './protocol.js';
import type { ProtoDataType } from './sparkTypes.js';

/** The first calls of a session make the server build it, which a busy cluster may take a minute or more over. */
const FIRST_CALL_DEADLINE_MS = 120_000;

/** The fields of ExecutePlanResponse lhctl reads (snake_case, oneofs named, longs as strings). */
export interface ExecutePlanResponse {
  response_id?: string;
  operation_id?: string;
  response_type?: string;
  schema?: ProtoDataType;
  arrow_batch?: { row_count?: string; data?: Buffer; start_offset?: string };
  result_complete?: Record<string, never>;
  write_stream_operation_start_result?: { query_id?: { id?: string; run_id?: string }; name?: string };
  streaming_query_command_result?: {
    query_id?: { id?: string; run_id?: string };
    status?: { status_message?: string; is_data_available?: boolean; is_trigger_active?: boolean; is_active?: boolean };
    recent_progress?: { recent_progress_json?: string[] };
    exception?: { exception_message?: string; error_class?: string; stack_trace?: string };
    await_termination?: { terminated?: boolean };
  };
  metrics?: { metrics?: { name?: string; execution_metrics?: Record<string, { name?: string; value?: string }> }[] };
}

/** Where a Spark Connect server is and how to reach it. */
export interface SparkConnectEndpoint {
  host: string;
  port: number;
  /** TLS (with this CA's PEM, or the system's CA store when `ca` is absent); plaintext when undefined. */
  tls?: { ca?: Buffer | undefined } | undefined;
  /** Sent as `authorization: Bearer …` on every call. */
  token: string | undefined;
  userId?: string | undefined;
  userAgent?: string | undefined;
  /** Extra gRPC metadata from the connection string. */
  headers?: Record<string, string> | undefined;
  protoDir: string;
}

export interface SparkConnectOptions extends SparkConnectEndpoint {
  /** Name an existing session (one a dead process left) rather than starting a new one. */
  sessionId?: string;
}

/**
 * A Spark Connect session over gRPC: ExecutePlan with reattach, Interrupt, ReleaseExecute and
 * ReleaseSession. Decoding results and mapping errors are the caller's concern.
 */
export class SparkConnectSession {
  readonly sessionId: string;
  private readonly stub: SparkConnectStub;
  private readonly userContext: { user_id: string };
  private readonly token: string | undefined;
  private readonly headers: Record<string, string>;
  private readonly clientType: string;
  /** How many times a stream was picked up again after the server closed it early. */
  reattachCount = 0;

  constructor(options: SparkConnectOptions) {
    const Service = sparkConnectStub(options.protoDir);
    const credentials = options.tls ? grpc.credentials.createSsl(options.tls.ca ?? null) : grpc.credentials.createInsecure();
    this.stub = new Service(`${options.host}:${options.port}`, credentials, {
      'grpc.max_receive_message_length': 256 * 1024 * 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      // A wide HTTP/2 window lets the server keep streaming Arrow batches while we convert the last one.
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
    });
    this.sessionId = options.sessionId ?? randomUUID();
    this.userContext = { user_id: options.userId ?? 'lhctl' };
    this.token = options.token;
    this.headers = options.headers ?? {};
    this.clientType = options.userAgent ? `lhctl ${options.userAgent}` : 'lhctl';
  }

  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(this.headers)) metadata.set(key, value);
    if (this.token !== undefined) metadata.set('authorization', `Bearer ${this.token}`);
    return metadata;
  }

  private base(): Record<string, unknown> {
    return { session_id: this.sessionId, user_context: this.userContext, client_type: this.clientType };
  }

  /**
   * Runs `sql` as the plan's root relation and yields every response. A stream the server closes
   * before `result_complete` (its reattach limits) is picked up again with ReattachExecute.
   */
  executeSql(sql: string, operationId: string, onCall: (call: grpc.ClientReadableStream<ExecutePlanResponse>) => void): AsyncGenerator<ExecutePlanResponse> {
    return this.executePlan({ root: { common: { plan_id: '0' }, sql: { query: sql } } }, operationId, onCall);
  }

  /** Runs a plan (a relation as `root`, or a `command`) and yields every response, reattaching as executeSql does. */
  async *executePlan(plan: Record<string, unknown>, operationId: string, onCall: (call: grpc.ClientReadableStream<ExecutePlanResponse>) => void): AsyncGenerator<ExecutePlanResponse> {
    const request = { ...this.base(), operation_id: operationId, plan, request_options: [{ reattach_options: { reattachable: true } }] };
    let call = this.stub['ExecutePlan']!(request, this.metadata()) as grpc.ClientReadableStream<ExecutePlanResponse>;
    let lastResponseId: string | undefined;
    let complete = false;
    try {
      for (;;) {
        onCall(call);
        for await (const response of call as AsyncIterable<ExecutePlanResponse>) {
          if (response.response_id) lastResponseId = response.response_id;
          if (response.result_complete) complete = true;
          yield response;
        }
        if (complete) break;
        this.reattachCount++;
        const reattach = { ...this.base(), operation_id: operationId, ...(lastResponseId ? { last_response_id: lastResponseId } : {}) };
        call = this.stub['ReattachExecute']!(reattach, this.metadata()) as grpc.ClientReadableStream<ExecutePlanResponse>;
      }
    } finally {
      if (complete) this.releaseExecute(operationId);
    }
  }

  private releaseExecute(operationId: string): void {
    const request = { ...this.base(), operation_id: operationId, release_all: {} };
    this.stub['ReleaseExecute']!(request, this.metadata(), () => undefined);
  }

  /**
   * Sets session configuration through the Config RPC rather than a SQL `SET`, so a value (a database
   * password a JDBC catalog reads) never enters a statement's text, the transcript or the audit log.
   */
  setConfig(pairs: Record<string, string>): Promise<void> {
    const request = { ...this.base(), operation: { set: { pairs: Object.entries(pairs).map(([key, value]) => ({ key, value })) } } };
    return new Promise((resolve, reject) => {
      this.stub['Config']!(request, this.metadata(), { deadline: Date.now() + 30_000 }, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  /** Asks the server to stop an operation; resolves with the ids it interrupted. */
  interrupt(operationId?: string): Promise<string[]> {
    const request = operationId ? { ...this.base(), interrupt_type: 'INTERRUPT_TYPE_OPERATION_ID', operation_id: operationId } : { ...this.base(), interrupt_type: 'INTERRUPT_TYPE_ALL' };
    return new Promise((resolve) => {
      this.stub['Interrupt']!(request, this.metadata(), { deadline: Date.now() + 10_000 }, (error: Error | null, response?: { interrupted_ids?: string[] }) =>
        resolve(error ? [] : (response?.interrupted_ids ?? [])),
      );
    });
  }

  /** The server's Spark version (AnalyzePlan spark_version). */
  sparkVersion(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.stub['AnalyzePlan']!(
        { ...this.base(), spark_version: {} },
        this.metadata(),
        { deadline: Date.now() + FIRST_CALL_DEADLINE_MS },
        (error: Error | null, response?: { spark_version?: { version?: string } }) => (error ? reject(error) : resolve(response?.spark_version?.version ?? '')),
      );
    });
  }

  /** Session settings by key (the Config RPC's get_option); a key that is not set is absent. */
  getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    const request = { ...this.base(), operation: { get_option: { keys } } };
    return new Promise((resolve, reject) => {
      this.stub['Config']!(request, this.metadata(), { deadline: Date.now() + FIRST_CALL_DEADLINE_MS }, (error: Error | null, response?: { pairs?: { key: string; value?: string }[] }) => {
        if (error) return reject(error);
        const pairs: Record<string, string> = {};
        for (const pair of response?.pairs ?? []) if (pair.value !== undefined) pairs[pair.key] = pair.value;
        resolve(pairs);
      });
    });
  }

  releaseSession(): Promise<void> {
    return new Promise((resolve) => {
      this.stub['ReleaseSession']!({ ...this.base() }, this.metadata(), { deadline: Date.now() + 5_000 }, () => resolve());
    });
  }

  close(): void {
    this.stub.close();
  }
}
