import type { Column, Row, Value } from '../core/types.js';
import type { Capability, SqlEngine } from '../engines/engine.js';
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

/**
 * One option, declared once and parsed in one place (commands/args.ts): the parser checks the type,
 * range and presence, so a command reads a ready value; help and shell completion come from it too.
 */
export interface OptionSpec {
  /** `number` gives a number, `duration` milliseconds (90s, 10m, 2h, 7d), `enum` one of `values`. */
  type: 'string' | 'boolean' | 'number' | 'duration' | 'enum';
  short?: string;
  description: string;
  /** Shown in usage, e.g. `<N>`. */
  valueName?: string;
  multiple?: boolean;
  /** number: whole numbers only. */
  integer?: boolean;
  /** number: inclusive bounds; duration: bounds in milliseconds. */
  min?: number;
  max?: number;
  /** enum: the accepted values (also what completion offers). */
  values?: readonly string[];
  /** duration: the unit of a bare number (`--for 90` is minutes); without it a bare number is refused. */
  bareUnit?: 's' | 'm' | 'h' | 'd';
  /** The command cannot run without it. */
  required?: boolean;
  /** What shell completion offers as the value. */
  complete?: 'table' | 'env' | 'file' | 'job';
  /** Only these verbs take it (help lists it under them). */
  verbs?: readonly string[];
}

/** A sub-command such as `engine start`: its own usage line, help and examples. */
export interface VerbSpec {
  name: string;
  summary: string;
  /** Operands after the verb. */
  positionals?: PositionalSpec[];
  examples?: string[];
}

export interface PositionalSpec {
  name: string;
  description: string;
  required: boolean;
  /** Takes all remaining positionals. */
  variadic?: boolean;
  /** What shell completion offers here. */
  complete?: 'table' | 'env' | 'file' | 'job';
}

export type OptionValue = string | number | boolean | string[] | undefined;

export interface ParsedArgs {
  /** With verbs, the verb comes first (the default verb when none was typed). */
  positionals: string[];
  options: Record<string, OptionValue>;
}

/** Where the console shows a command's answer. */
export type ViewHint =
  /** The result grid (the default). */
  | { kind: 'result' }
  /** One line on the status line; a table in the answer still opens the grid. */
  | { kind: 'status' }
  /** A tab of the table's own view. */
  | { kind: 'table'; table: string; tab: 'history' | 'schema' }
  /** The run graph of a job, filling as its tasks run. */
  | { kind: 'run'; job: string };

/** What front-ends do around a command; commands say it here instead of being recognised by name. */
export interface Presentation {
  /** `typed` counts the words after the command name, options included. */
  view?(args: ParsedArgs, typed: number): ViewHint;
  /** After a successful one-shot run on a terminal, the full-screen console opens on the env. */
  opensConsole?(args: ParsedArgs): boolean;
  /** The env that console opens on, when the command worked on another than the one it was given (`demo --sources live`). */
  consoleEnv?(args: ParsedArgs): string | undefined;
  /** Starts or stops engines: an interactive session reads the engine's state again afterwards. */
  changesEngineState?: boolean;
  /** Opens a write window; an interactive session closes the windows it opened when it ends or leaves the env. */
  armsEnv?: boolean;
  /** Options an interactive session adds when a line leaves them out (`arm` there opens a short window). */
  sessionDefaults?: Record<string, string>;
}

/** One command object serves the console, the REPL and the one-shot CLI. */
export interface Command {
  name: string;
  aliases?: string[];
  summary: string;
  positionals: PositionalSpec[];
  options: Record<string, OptionSpec>;
  /** Sub-commands; the first positional picks one (`defaultVerb` when none is typed). */
  verbs?: VerbSpec[];
  defaultVerb?: string;
  /** Left out of help and completion (`__complete`). */
  hidden?: boolean;
  examples?: string[];
  /** Engine features the command cannot run without; the runner refuses it elsewhere and menus leave it out. */
  needs?: Capability[];
  presentation?: Presentation;
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandOutcome>;
}
