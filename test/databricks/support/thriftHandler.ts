/** The TCLIService handler behind the loopback warehouse: scripted results, errors and hangs. */
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { thrift as driverThrift } from '@databricks/sql';
import { arrowBatchBytes, arrowSchemaBytes } from './arrowWire.js';

const T = driverThrift.TCLIService_types;
const Int64 = createRequire(import.meta.url)('thrift').Int64 as new (value: number) => unknown;

export interface ScriptedColumn {
  name: string;
  /** TTypeId, e.g. T.TTypeId.BIGINT_TYPE. */
  type: number;
  precision?: number;
  scale?: number;
}

export type ScriptedTable =
  /** `wire: 'columns'` answers with a column-based row set even to a client that reads Arrow. */
  { columns: ScriptedColumn[]; rows: unknown[][]; batchSize?: number; wire?: 'arrow' | 'columns' } | { error: { message: string; sqlState: string } } | { hang: true };

interface Operation {
  script: ScriptedTable;
  offset: number;
  state: number;
  arrow: boolean;
}

export interface WarehouseState {
  /** Keyed by exact statement text; an unknown statement fails as TABLE_OR_VIEW_NOT_FOUND. */
  tables: Record<string, ScriptedTable>;
  /** Asked first, for fakes that keep state (a catalog's grants); undefined falls back to `tables`. */
  answer?: ((sql: string) => ScriptedTable | undefined) | undefined;
  sessions: Map<string, { expired: boolean }>;
  operations: Map<string, Operation>;
  statements: Array<{ sql: string; confOverlay: Record<string, string> | null; session: string; arrowNativeTypes: unknown }>;
  sessionConfigurations: Array<Record<string, string> | null>;
  expireSessions: boolean;
  cancelled: string[];
}

const OK = { statusCode: T.TStatusCode.SUCCESS_STATUS };

/** Guids must be valid UUIDs: the driver stringifies them with `uuid`. */
function handle(): { guid: Buffer; secret: Buffer } {
  return { guid: Buffer.from(randomUUID().replaceAll('-', ''), 'hex'), secret: randomBytes(16) };
}

function wireColumn(column: ScriptedColumn, values: unknown[]): Record<string, unknown> {
  const nulls = Buffer.alloc(Math.ceil(values.length / 8) || 1);
  values.forEach((v, i) => {
    if (v === null) nulls[i >> 3]! |= 1 << (i % 8);
  });
  const filled = (fallback: unknown): unknown[] => values.map((v) => (v === null ? fallback : v));
  switch (column.type) {
    case T.TTypeId.BOOLEAN_TYPE:
      return { boolVal: { values: filled(false), nulls } };
    case T.TTypeId.TINYINT_TYPE:
      return { byteVal: { values: filled(0), nulls } };
    case T.TTypeId.SMALLINT_TYPE:
      return { i16Val: { values: filled(0), nulls } };
    case T.TTypeId.INT_TYPE:
      return { i32Val: { values: filled(0), nulls } };
    case T.TTypeId.BIGINT_TYPE:
      return { i64Val: { values: filled(0).map((v) => new Int64(Number(v))), nulls } };
    case T.TTypeId.FLOAT_TYPE:
    case T.TTypeId.DOUBLE_TYPE:
      return { doubleVal: { values: filled(0), nulls } };
    default:
      return { stringVal: { values: filled('').map(String), nulls } };
  }
}

/** Marks every open session as expired, as the server does after its idle timeout. */
export function expireAllSessions(state: WarehouseState): void {
  for (const session of state.sessions.values()) session.expired = true;
}

export function statementHandler(state: WarehouseState): Record<string, (req: never) => Promise<unknown>> {
  const op = (req: { operationHandle: { operationId: { guid: Buffer } } }): Operation | undefined => state.operations.get(req.operationHandle.operationId.guid.toString('hex'));

  return {
    async OpenSession(req: { configuration: Record<string, string> | null }) {
      const session = handle();
      state.sessions.set(session.guid.toString('hex'), { expired: false });
      state.sessionConfigurations.push(req.configuration);
      return { status: OK, serverProtocolVersion: T.TProtocolVersion.SPARK_CLI_SERVICE_PROTOCOL_V8, sessionHandle: { sessionId: session } };
    },
    async CloseSession(req: { sessionHandle: { sessionId: { guid: Buffer } } }) {
      state.sessions.delete(req.sessionHandle.sessionId.guid.toString('hex'));
      return { status: OK };
    },
    async ExecuteStatement(req: {
      statement: string;
      confOverlay: Record<string, string> | null;
      sessionHandle: { sessionId: { guid: Buffer } };
      canReadArrowResult: boolean | null;
      useArrowNativeTypes: unknown;
    }) {
      const sessionId = req.sessionHandle.sessionId.guid.toString('hex');
      const session = state.sessions.get(sessionId);
      if (!session || session.expired) {
        return { status: { statusCode: T.TStatusCode.ERROR_STATUS, errorMessage: `Invalid SessionHandle: SessionHandle [${sessionId}]`, sqlState: 'HY000' } };
      }
      state.statements.push({ sql: req.statement, confOverlay: req.confOverlay, session: sessionId, arrowNativeTypes: req.useArrowNativeTypes });
      const script: ScriptedTable = state.answer?.(req.statement) ??
        state.tables[req.statement] ?? {
          error: {
            message: `[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${req.statement.split(/\s+/).pop()}\` cannot be found. SQLSTATE: 42P01`,
            sqlState: '42P01',
          },
        };
      const operation = handle();
      const stateOf = 'error' in script ? T.TOperationState.ERROR_STATE : 'hang' in script ? T.TOperationState.RUNNING_STATE : T.TOperationState.FINISHED_STATE;
      const arrow = req.canReadArrowResult === true && !('wire' in script && script.wire === 'columns');
      state.operations.set(operation.guid.toString('hex'), { script, offset: 0, state: stateOf, arrow });
      return { status: OK, operationHandle: { operationId: operation, operationType: T.TOperationType.EXECUTE_STATEMENT, hasResultSet: true } };
    },
    async GetOperationStatus(req: never) {
      const found = op(req);
      if (!found) return { status: { statusCode: T.TStatusCode.ERROR_STATUS, errorMessage: 'Invalid OperationHandle' } };
      const error = 'error' in found.script && found.state === T.TOperationState.ERROR_STATE ? found.script.error : undefined;
      return { status: OK, operationState: found.state, hasResultSet: true, ...(error ? { errorMessage: error.message, displayMessage: error.message, sqlState: error.sqlState } : {}) };
    },
    async GetResultSetMetadata(req: never) {
      const found = op(req);
      const columns = found && 'columns' in found.script ? found.script.columns : [];
      return {
        status: OK,
        resultFormat: found?.arrow ? T.TSparkRowSetType.ARROW_BASED_SET : T.TSparkRowSetType.COLUMN_BASED_SET,
        ...(found?.arrow ? { arrowSchema: arrowSchemaBytes(columns) } : {}),
        schema: {
          columns: columns.map((c, i) => ({
            columnName: c.name,
            position: i + 1,
            typeDesc: {
              types: [
                {
                  primitiveEntry: {
                    type: c.type,
                    ...(c.precision !== undefined ? { typeQualifiers: { qualifiers: { precision: { i32Value: c.precision }, scale: { i32Value: c.scale ?? 0 } } } } : {}),
                  },
                },
              ],
            },
          })),
        },
      };
    },
    async FetchResults(req: { operationHandle: { operationId: { guid: Buffer } }; maxRows: { toNumber(): number } }) {
      const found = op(req);
      if (!found || !('rows' in found.script)) return { status: OK, hasMoreRows: false, results: { startRowOffset: new Int64(0), rows: [], columns: [] } };
      const size = Math.min(found.script.batchSize ?? found.script.rows.length, req.maxRows.toNumber());
      const slice = found.script.rows.slice(found.offset, found.offset + size);
      const start = found.offset;
      found.offset += slice.length;
      const hasMoreRows = found.offset < found.script.rows.length;
      if (found.arrow) {
        const arrowBatches = slice.length ? [{ batch: arrowBatchBytes(found.script.columns, slice), rowCount: new Int64(slice.length) }] : [];
        return { status: OK, hasMoreRows, results: { startRowOffset: new Int64(start), rows: [], arrowBatches } };
      }
      const columns = found.script.columns.map((c, i) =>
        wireColumn(
          c,
          slice.map((row) => row[i] ?? null),
        ),
      );
      return { status: OK, hasMoreRows, results: { startRowOffset: new Int64(start), rows: [], columns } };
    },
    async CancelOperation(req: { operationHandle: { operationId: { guid: Buffer } } }) {
      const found = op(req);
      if (found) found.state = T.TOperationState.CANCELED_STATE;
      state.cancelled.push(req.operationHandle.operationId.guid.toString('hex'));
      return { status: OK };
    },
    async CloseOperation(req: { operationHandle: { operationId: { guid: Buffer } } }) {
      state.operations.delete(req.operationHandle.operationId.guid.toString('hex'));
      return { status: OK };
    },
  };
}
