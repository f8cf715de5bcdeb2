/**
 * Typed errors. Code branches on the class, never on message text; `hint` tells the operator
 * what to do next and is printed on its own line.
 */
export class LhctlError extends Error {
  readonly hint: string | undefined;
  /** Exit code the CLI uses when this error ends a command. */
  readonly exitCode: number = 1;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** A profile, a flag or a setting is wrong. */
export class ConfigError extends LhctlError {
  override readonly exitCode = 2;
}

/** The user asked for something malformed (unknown flag, missing argument). */
export class UsageError extends LhctlError {
  override readonly exitCode = 2;
}

/** The engine could not be installed, started or reached. */
export class EngineError extends LhctlError {}

/** The engine is installed but no server answers; the hint names the command that starts it. */
export class EngineNotRunningError extends EngineError {}

/** The runtime (Java, jars) is missing or unusable. */
export class RuntimeInstallError extends EngineError {}

export type QueryErrorKind = 'parse' | 'table-not-found' | 'column-not-found' | 'schema-not-found' | 'cancelled' | 'permission' | 'analysis' | 'execution';

export interface QueryPosition {
  line: number;
  column: number;
}

/** A statement was rejected or failed on the engine. */
export class QueryError extends LhctlError {
  readonly kind: QueryErrorKind;
  readonly errorClass: string | undefined;
  readonly sqlState: string | undefined;
  readonly position: QueryPosition | undefined;
  readonly suggestions: string[];
  /** The engine's structured message parameters (e.g. Spark's `relationName`, `objectName`). */
  readonly parameters: Record<string, string>;

  constructor(
    message: string,
    details: {
      kind: QueryErrorKind;
      errorClass?: string;
      sqlState?: string;
      position?: QueryPosition;
      suggestions?: string[];
      parameters?: Record<string, string>;
      hint?: string;
      cause?: unknown;
    },
  ) {
    super(message, { hint: details.hint, cause: details.cause });
    this.kind = details.kind;
    this.errorClass = details.errorClass;
    this.sqlState = details.sqlState;
    this.position = details.position;
    this.suggestions = details.suggestions ?? [];
    this.parameters = details.parameters ?? {};
  }
}

/** A protected environment or a destructive operation was refused. */
export class SafetyError extends LhctlError {
  override readonly exitCode = 2;
}

/** The user interrupted (Ctrl-C). */
export class CancelledError extends LhctlError {
  override readonly exitCode = 130;
}
