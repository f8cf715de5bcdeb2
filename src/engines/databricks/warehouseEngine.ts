import { DBSQLClient } from '@databricks/sql';
import { Config } from '@databricks/sdk-experimental';
import { CancelledError } from '../../core/errors.js';
import type { Column, ResultStream, Row } from '../../core/types.js';
import type { DatabricksAuth } from '../../profiles/databricksAuth.js';
import { capabilitiesOf, type Capabilities, type ExecuteOptions, type SqlEngine } from '../engine.js';
import { Redactor } from '../../core/redaction.js';
import { isSessionGone, warehouseError } from './warehouseErrors.js';
import { columnsFromSchema, rowFromRecord, type ThriftSchema } from './warehouseValues.js';
import { missingCredentialError } from './workspaceErrors.js';

type Session = Awaited<ReturnType<DBSQLClient['openSession']>>;
type Operation = Awaited<ReturnType<Session['executeStatement']>>;

/** Rows asked for per fetch; the driver's direct results and each FetchResults use it. */
export const WAREHOUSE_FETCH_ROWS = 100_000;

export interface WarehouseEngineOptions {
  /** Initial catalog/schema of the session. */
  catalog?: string;
  schema?: string;
  /** Extra CA (PEM) to trust on top of the system roots: TLS-inspecting proxies, test servers. */
  customCaCert?: string;
  /** Receives the driver's log lines, already redacted. Silent by default. */
  debug?: (line: string) => void;
  /** SDK config to take the credential from; built from `auth` when absent. */
  config?: Config;
}

/**
 * SqlEngine over a Databricks SQL warehouse with @databricks/sql. Credentials come from the SDK's
 * unified auth (the same as the workspace client); an expired session is reopened once,
 * transparently, before the statement is re-sent.
 */
export class DatabricksSqlEngine implements SqlEngine {
  readonly kind = 'databricks' as const;
  readonly capabilities: Capabilities = capabilitiesOf('databricks');
  private readonly redactor: Redactor;
  private readonly config: Config;
  private client: DBSQLClient | undefined;
  private session: Promise<Session> | undefined;
  private readonly running = new Set<Operation>();

  constructor(
    private readonly auth: DatabricksAuth,
    private readonly options: WarehouseEngineOptions = {},
  ) {
    this.redactor = new Redactor(auth.secrets);
    this.config = options.config ?? new Config({ host: auth.host, profile: auth.configProfile, configFile: auth.configFile, env: auth.sdkEnv });
  }

  async execute(sql: string, options: ExecuteOptions = {}): Promise<ResultStream> {
    if (options.signal?.aborted) throw new CancelledError('the statement was cancelled before it was sent');
    let operation: Operation;
    try {
      operation = await this.submit(sql, options);
    } catch (error) {
      if (!isSessionGone(error)) throw this.fail(error, sql);
      this.session = undefined;
      try {
        operation = await this.submit(sql, options);
      } catch (retryError) {
        throw this.fail(retryError, sql);
      }
    }
    this.running.add(operation);
    const onAbort = (): void => void operation.cancel().catch(() => undefined);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const release = async (): Promise<void> => {
      options.signal?.removeEventListener('abort', onAbort);
      this.running.delete(operation);
      await operation.close().catch(() => undefined);
    };
    let columns: Column[];
    try {
      columns = columnsFromSchema((await operation.getSchema()) as ThriftSchema | null);
    } catch (error) {
      await release();
      throw this.fail(error, sql, options.signal);
    }
    return { columns, [Symbol.asyncIterator]: () => this.batches(operation, columns, sql, release, options.signal) };
  }

  async cancel(): Promise<void> {
    await Promise.all([...this.running].map((op) => op.cancel().catch(() => undefined)));
  }

  async close(): Promise<void> {
    await this.cancel();
    const session = this.session;
    this.session = undefined;
    if (session) await session.then((s) => s.close()).catch(() => undefined);
    await this.client?.close().catch(() => undefined);
    this.client = undefined;
  }

  private async *batches(operation: Operation, columns: Column[], sql: string, release: () => Promise<void>, signal?: AbortSignal): AsyncGenerator<Row[]> {
    try {
      while (await operation.hasMoreRows()) {
        const records = (await operation.fetchChunk({ maxRows: WAREHOUSE_FETCH_ROWS, disableBuffering: true })) as Array<Record<string, unknown>>;
        if (records.length > 0) yield records.map((record) => rowFromRecord(columns, record));
      }
    } catch (error) {
      throw this.fail(error, sql, signal);
    } finally {
      await release();
    }
  }

  private async submit(sql: string, options: ExecuteOptions): Promise<Operation> {
    const session = await this.openSession();
    return session.executeStatement(sql, {
      maxRows: WAREHOUSE_FETCH_ROWS,
      ...(options.tag ? { queryTags: { lhctl: options.tag } } : {}),
    });
  }

  private openSession(): Promise<Session> {
    if (this.session) return this.session;
    const pending = this.connect().then((client) =>
      client.openSession({
        initialCatalog: this.options.catalog,
        initialSchema: this.options.schema,
        // Timestamps that arrive as text are then UTC, which is what lhctl's values promise.
        configuration: { TIMEZONE: 'UTC' },
      }),
    );
    this.session = pending;
    // A failed open is not cached: the next statement tries again.
    pending.catch(() => {
      if (this.session === pending) this.session = undefined;
    });
    return pending;
  }

  private async connect(): Promise<DBSQLClient> {
    if (this.client) return this.client;
    let host: URL;
    try {
      host = await this.config.getHost();
    } catch (error) {
      throw missingCredentialError(this.auth, error);
    }
    const debug = this.options.debug;
    const client = new DBSQLClient({
      logger: { log: (_level, message) => debug?.(this.redactor.redact(message)) },
    });
    // Native Arrow timestamps decode to JS Dates and lose microseconds; as text (in the UTC session)
    // they keep them. Decimals then arrive as exact text too.
    client.getConfig().useArrowNativeTypes = false;
    await client.connect({
      host: host.hostname,
      port: host.port ? Number(host.port) : 443,
      path: this.auth.warehouseHttpPath,
      authType: 'custom',
      provider: { authenticate: () => this.authHeaders() },
      telemetryEnabled: false,
      preserveBigNumericPrecision: true,
      userAgentEntry: 'lhctl',
      retryMaxAttempts: 3,
      ...(this.options.customCaCert ? { customCaCert: this.options.customCaCert } : {}),
    });
    this.client = client;
    return client;
  }

  /** Headers from the SDK's unified auth; OAuth tokens are refreshed by the SDK as they expire. */
  private async authHeaders(): Promise<Record<string, string>> {
    const headers = new Headers();
    try {
      await this.config.authenticate(headers);
    } catch (error) {
      throw this.redactor.redactError(missingCredentialError(this.auth, error));
    }
    return Object.fromEntries(headers.entries());
  }

  /** A failure after the caller aborted is a cancellation, whatever the driver made of it. */
  private fail(error: unknown, sql: string, signal?: AbortSignal): Error {
    const cause = signal?.aborted ? Object.assign(new Error('cancelled by the caller'), { errorCode: 'CANCELED' }) : error;
    return warehouseError(cause, this.auth, this.redactor, sql);
  }
}
