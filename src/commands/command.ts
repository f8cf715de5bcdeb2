import type { Column, Row, Value } from '../core/types.js';
import type { SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';

/**
 * How a command talks to the person running it. The CLI writes progress to stderr and asks on the
 * TTY; the console shows a status line and a dialog; tests record the calls.
 */
export interface CommandUi {
  progress(message: string): void;
  /** A determinate step (downloads): a bar on a terminal, occasional lines elsewhere. */
  meter?(label: string, done: number, total: number): void;
  warn(message: string): void;
  /** Ask for a typed confirmation; resolves true only when the answer equals `expected`. */
  confirm(question: string, expected: string): Promise<boolean>;
}

export interface CommandContext {
  settings: Settings;
  profile: Profile;
  /** Opens (and for the local engine, starts) the env's engine on first use. */
  engine(): Promise<SqlEngine>;
  ui: CommandUi;
  /** Aborted on Ctrl-C; pass it to engine.execute so the statement is cancelled on the server. */
  signal: AbortSignal;
  /** --yes was given: destructive operations skip the typed confirmation. */
  assumeYes: boolean;
}

/** Rows with a schema; `rows` may stream (AsyncIterable) so large results are never held whole. */
export interface TableData {
  kind: 'table';
  title?: string;
  columns: Column[];
  rows: AsyncIterable<Row[]> | Row[];
}

/** One object of named values (status, summaries); JSON prints it as an object. */
export interface RecordData {
  kind: 'record';
  title?: string;
  data: Record<string, Value>;
}

export interface MessageData {
  kind: 'message';
  text: string;
}

/** Several results in order, e.g. one per statement of `lhctl sql`. */
export interface MultiData {
  kind: 'multi';
  results: AsyncIterable<CommandData> | CommandData[];
}

export type CommandData = TableData | RecordData | MessageData | MultiData;

export interface CommandOutcome {
  data: CommandData;
  /** 0 unless the command completed but judged a failure (a failed run, failed checks). */
  exitCode?: number;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Shown in usage, e.g. `<N>`. */
  valueName?: string;
  multiple?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  /** Takes all remaining positionals. */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

/** One command object serves the console, the REPL and the one-shot CLI. */
export interface Command {
  name: string;
  aliases?: string[];
  summary: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  /** Sub-verbs such as `engine start`; when set, the first positional picks one. */
  examples?: string[];
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandOutcome>;
}
