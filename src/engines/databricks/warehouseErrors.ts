import { CancelledError, ConfigError, EngineError, QueryError, type LhctlError, type QueryErrorKind } from '../../core/errors.js';
import { credentialSources, type DatabricksAuth } from '../../profiles/databricksAuth.js';
import type { Redactor } from '../../core/redaction.js';

/** What the driver's errors carry; the driver exports no types for most of them. */
interface DriverErrorShape {
  name?: string;
  message?: string;
  /** OperationStateError: CANCELED | CLOSED | ERROR | TIMEOUT | UNKNOWN. */
  errorCode?: string | number;
  /** THTTPException: the HTTP status of the Thrift POST. */
  statusCode?: number;
  /** Node socket errors. */
  code?: string;
  response?: { sqlState?: string; errorMessage?: string; displayMessage?: string };
}

const KIND_BY_SQLSTATE: Record<string, QueryErrorKind> = {
  '42601': 'parse',
  '42P01': 'table-not-found',
  '42703': 'column-not-found',
  '3F000': 'schema-not-found',
  '42704': 'table-not-found',
  '42501': 'permission',
  HY008: 'cancelled',
  '57014': 'cancelled',
};

const KIND_BY_ERROR_CLASS: Record<string, QueryErrorKind> = {
  PARSE_SYNTAX_ERROR: 'parse',
  TABLE_OR_VIEW_NOT_FOUND: 'table-not-found',
  UNRESOLVED_COLUMN: 'column-not-found',
  SCHEMA_NOT_FOUND: 'schema-not-found',
  INSUFFICIENT_PERMISSIONS: 'permission',
  PERMISSION_DENIED: 'permission',
};

/**
 * Databricks puts the error class and SQLSTATE into the message as `[CLASS] … SQLSTATE: XXXXX`;
 * the Thrift status drops the structured fields, so they are read back from that stable format.
 */
function parseDatabricksMessage(text: string): { errorClass?: string; sqlState?: string; body: string } {
  const errorClass = /^\s*\[([A-Z][A-Z0-9_.]*)\]/.exec(text)?.[1];
  const sqlState = /SQLSTATE:\s*([0-9A-Z]{5})/.exec(text)?.[1];
  const body = text.replace(/\s*SQLSTATE:\s*[0-9A-Z]{5}\.?/, '').trim();
  return { errorClass, sqlState, body };
}

/**
 * The driver reports an expired or unknown server session only as text: its own "closed or has
 * expired" guard, or the server's "Invalid SessionHandle". This is the one place that reads it.
 */
export function isSessionGone(error: unknown): boolean {
  const text = (error as DriverErrorShape | undefined)?.message ?? '';
  return /session (was closed|has expired)|invalid sessionhandle|session.*(expired|not found|does not exist)/i.test(text);
}

export function warehouseError(error: unknown, auth: DatabricksAuth, redactor: Redactor, statement?: string): LhctlError {
  return redactor.redactError(classify(error, auth, statement));
}

function classify(error: unknown, auth: DatabricksAuth, statement: string | undefined): LhctlError {
  if (error instanceof QueryError || error instanceof EngineError || error instanceof ConfigError || error instanceof CancelledError) return error;
  const shape = (error ?? {}) as DriverErrorShape;
  const where = `on env "${auth.env}" (warehouse ${auth.warehouseHttpPath})`;
  if (shape.statusCode === 401 || shape.statusCode === 403) {
    return new ConfigError(`the SQL warehouse rejected the credential ${where}`, {
      hint: `Check the token or service principal. lhctl looked for: ${credentialSources(auth).join('; ')}.`,
      cause: error,
    });
  }
  if (shape.statusCode === 404) {
    return new ConfigError(`no SQL warehouse answers at ${auth.warehouseHttpPath} ${where}`, {
      hint: 'Copy the HTTP path from the warehouse\'s "Connection details" tab into databricks.warehouse_http_path of the profile.',
      cause: error,
    });
  }
  if (shape.code !== undefined && /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(shape.code)) {
    return new EngineError(`could not reach the SQL warehouse ${where}: ${shape.message ?? shape.code}`, {
      hint: 'Check the workspace host and your network; a stopped serverless warehouse starts on the first query.',
      cause: error,
    });
  }
  if (shape.errorCode === 'CANCELED') {
    return new CancelledError(`the statement was cancelled ${where}`, { cause: error });
  }
  if (shape.errorCode === 'TIMEOUT') {
    return new QueryError(`the statement timed out ${where}`, {
      kind: 'execution',
      hint: 'Raise STATEMENT_TIMEOUT for the warehouse or make the statement cheaper.',
      cause: error,
    });
  }
  const text = shape.response?.displayMessage || shape.response?.errorMessage || shape.message || String(error);
  const parsed = parseDatabricksMessage(text);
  const sqlState = shape.response?.sqlState ?? parsed.sqlState;
  if (sqlState !== undefined && KIND_BY_SQLSTATE[sqlState] === 'cancelled') return new CancelledError(`the statement was cancelled ${where}`, { cause: error });
  const kind = (sqlState && KIND_BY_SQLSTATE[sqlState]) || (parsed.errorClass && KIND_BY_ERROR_CLASS[parsed.errorClass.split('.')[0]!]) || 'execution';
  if (shape.errorCode === 'ERROR' || shape.name === 'Status Error' || sqlState !== undefined || parsed.errorClass !== undefined) {
    return new QueryError(parsed.body || 'the statement failed', {
      kind,
      errorClass: parsed.errorClass,
      sqlState,
      hint: kind === 'permission' ? 'Ask the data owner for the privilege named above (GRANT … TO your principal).' : undefined,
      cause: error,
    });
  }
  const head = statement ? ` running \`${statement.slice(0, 60)}${statement.length > 60 ? '…' : ''}\`` : '';
  return new EngineError(`the SQL warehouse failed${head} ${where}: ${text}`, { cause: error });
}
