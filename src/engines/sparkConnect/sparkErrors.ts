import type * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { protocolRoot } from './protocol.js';
import { CancelledError, EngineError, EngineNotRunningError, LhctlError, QueryError, type QueryErrorKind } from '../../core/errors.js';

/** What Spark attaches to a failed call: google.rpc.ErrorInfo's metadata. */
export interface SparkErrorInfo {
  errorClass: string | undefined;
  sqlState: string | undefined;
  messageParameters: Record<string, string>;
  exceptionClasses: string[];
}

const GRPC_UNAVAILABLE = 14;
const GRPC_CANCELLED = 1;
const GRPC_UNAUTHENTICATED = 16;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_DEADLINE_EXCEEDED = 4;

function loadStatusTypes(protoDir: string): { Status: protobuf.Type; ErrorInfo: protobuf.Type } {
  const root = protocolRoot(protoDir);
  return { Status: root.lookupType('google.rpc.Status'), ErrorInfo: root.lookupType('google.rpc.ErrorInfo') };
}

/** Decodes `grpc-status-details-bin` into Spark's error class, SQLSTATE and message parameters. */
export function sparkErrorInfo(error: grpc.ServiceError, protoDir: string): SparkErrorInfo | undefined {
  const raw = error.metadata?.get('grpc-status-details-bin')[0];
  if (!Buffer.isBuffer(raw)) return undefined;
  try {
    const types = loadStatusTypes(protoDir);
    const status = types.Status.decode(raw) as unknown as { details?: { type_url: string; value: Uint8Array }[] };
    const detail = status.details?.find((d) => d.type_url.endsWith('google.rpc.ErrorInfo'));
    if (!detail) return undefined;
    const info = types.ErrorInfo.decode(detail.value) as unknown as { metadata?: Record<string, string> };
    const metadata = info.metadata ?? {};
    const parse = <T>(text: string | undefined, fallback: T): T => {
      try {
        return text ? (JSON.parse(text) as T) : fallback;
      } catch {
        return fallback;
      }
    };
    return {
      errorClass: metadata['errorClass'],
      sqlState: metadata['sqlState'],
      messageParameters: parse(metadata['messageParameters'], {}),
      exceptionClasses: parse(metadata['classes'], []),
    };
  } catch {
    return undefined;
  }
}

function kindOf(errorClass: string | undefined): QueryErrorKind {
  if (!errorClass) return 'execution';
  if (errorClass.startsWith('PARSE_') || errorClass === 'PARSE_SYNTAX_ERROR') return 'parse';
  if (errorClass.startsWith('TABLE_OR_VIEW_NOT_FOUND') || errorClass === 'DELTA_TABLE_NOT_FOUND' || errorClass === 'DELTA_MISSING_DELTA_TABLE') return 'table-not-found';
  if (errorClass.startsWith('UNRESOLVED_COLUMN') || errorClass.startsWith('DELTA_COLUMN_NOT_FOUND')) return 'column-not-found';
  if (errorClass.startsWith('SCHEMA_NOT_FOUND')) return 'schema-not-found';
  if (errorClass === 'OPERATION_CANCELED') return 'cancelled';
  return 'analysis';
}

/** "(line 1, pos 7)" from a parse error; Spark's pos is 0-based, the column we report is 1-based. */
function positionOf(message: string): { line: number; column: number } | undefined {
  const match = /\(line (\d+), pos (\d+)\)/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) + 1 } : undefined;
}

/** Spark lists close column names in `proposal` as "`a`, `b`". */
function proposals(parameters: Record<string, string>): string[] {
  const text = parameters['proposal'];
  if (!text) return [];
  return text
    .split(',')
    .map((p) => p.trim().replace(/^`|`$/g, '').replace(/`\.`/g, '.'))
    .filter(Boolean);
}

/** The first line of Spark's message, without the SQLSTATE suffix (the caret display stays for parse errors). */
function operatorMessage(details: string, kind: QueryErrorKind): string {
  const text = details.trim();
  if (kind === 'parse') return text.replace(/ SQLSTATE: \w+/, '');
  return (text.split('\n')[0] ?? text).replace(/ SQLSTATE: \w+/, '');
}

/** How errors name a Spark Connect server and say what to do about it. */
export interface ServerLabel {
  /** "the local engine", "the Spark Connect cluster of env prod". */
  name: string;
  /** host:port */
  address: string;
  /** What to do when it does not answer. */
  unavailableHint: string;
  /** What to do when it refuses the token. */
  refusedHint: string;
  /** Where to look when it does not answer in time. */
  slowHint: string;
}

/** Turns a gRPC failure from a Spark Connect server into a typed lhctl error. */
export function toLhctlError(error: unknown, protoDir: string, context: { sql?: string; server: ServerLabel }): LhctlError {
  if (error instanceof LhctlError) return error;
  const serviceError = error as grpc.ServiceError;
  const { server } = context;
  if (typeof serviceError?.code !== 'number') return new EngineError(String((error as Error)?.message ?? error), { cause: error });
  switch (serviceError.code) {
    case GRPC_UNAVAILABLE:
      return new EngineNotRunningError(`${server.name} does not answer on ${server.address}`, { hint: server.unavailableHint, cause: error });
    case GRPC_CANCELLED:
      return new CancelledError('the statement was cancelled', { cause: error });
    case GRPC_UNAUTHENTICATED:
    case GRPC_PERMISSION_DENIED:
      return new EngineError(`${server.name} refused the call: the token did not match`, { hint: server.refusedHint, cause: error });
    case GRPC_DEADLINE_EXCEEDED:
      return new EngineError(`${server.name} did not answer in time`, { hint: server.slowHint, cause: error });
  }
  const info = sparkErrorInfo(serviceError, protoDir);
  const details = serviceError.details ?? serviceError.message;
  const kind = kindOf(info?.errorClass);
  if (kind === 'cancelled') return new CancelledError('the statement was cancelled', { cause: error });
  const position = kind === 'parse' ? positionOf(details) : undefined;
  return new QueryError(operatorMessage(details, kind), {
    kind,
    ...(info?.errorClass ? { errorClass: info.errorClass } : {}),
    ...(info?.sqlState ? { sqlState: info.sqlState } : {}),
    ...(position ? { position } : {}),
    suggestions: kind === 'column-not-found' ? proposals(info?.messageParameters ?? {}) : [],
    parameters: info?.messageParameters ?? {},
    cause: error,
  });
}
