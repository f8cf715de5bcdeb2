import type { Column, RecordRow, ResultStream, Row } from '../core/types.js';
import type { Capabilities, EngineKind } from './capabilities.js';
import type { StreamEngine } from './streams.js';

export { capabilitiesOf, NO_CAPABILITIES, type Capabilities, type Capability, type EngineKind } from './capabilities.js';

export interface ExecuteOptions {
  /** Aborting cancels the running statement on the engine. */
  signal?: AbortSignal;
  /** Tag shown in the engine's own logs/UI, e.g. the lhctl run and task. */
  tag?: string;
}

export interface SqlEngine {
  readonly kind: EngineKind;
  readonly capabilities: Capabilities;
  /** Run one statement; rows stream in batches and are not held in memory by the engine. */
  execute(sql: string, options?: ExecuteOptions): Promise<ResultStream>;
  /** Cancel every statement this engine object is running. */
  cancel(): Promise<void>;
  /**
   * A session of its own on the same engine, so its SET values (a commit tag) touch no other work;
   * the caller closes it. Engines without cheap sessions leave it out and callers share this one.
   */
  separateSession?(): Promise<SqlEngine>;
  /** This session's id on the engine, which a later process can pass to `stopSessions`. */
  readonly sessionId?: string;
  /**
   * What a process sent keeps running on the server after the process dies. This stops every statement
   * still running in the named sessions and ends them; it resolves with how many statements it stopped.
   */
  stopSessions?(sessionIds: readonly string[]): Promise<number>;
  /** Streaming queries run in this session (capability `streaming`). */
  readonly streams?: StreamEngine;
  /**
   * Sets session settings out of band, never as a statement's text: a value such as a JDBC catalog's
   * password stays out of the transcript, the audit log and the engine's query history.
   */
  setSessionConfig?(pairs: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** Run a statement and collect its rows; for small results (catalog look-ups, metrics). */
export async function queryRows(engine: SqlEngine, sql: string, options?: ExecuteOptions): Promise<{ columns: Column[]; rows: Row[] }> {
  const result = await engine.execute(sql, options);
  const rows: Row[] = [];
  for await (const batch of result) rows.push(...batch);
  return { columns: result.columns, rows };
}

/** Like queryRows, with each row keyed by column name. */
export async function queryRecords(engine: SqlEngine, sql: string, options?: ExecuteOptions): Promise<RecordRow[]> {
  const { columns, rows } = await queryRows(engine, sql, options);
  return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i] ?? null])));
}

/** Run a statement for its side effect and drain its result. */
export async function executeStatement(engine: SqlEngine, sql: string, options?: ExecuteOptions): Promise<void> {
  const result = await engine.execute(sql, options);
  for await (const _batch of result) {
    // drained: commands return at most a small status relation
  }
}
