import { commandHelp, parseCommandArgs, type GlobalArgs } from '../commands/args.js';
import { appendAudit, type AuditOutcome } from '../commands/audit.js';
import { missingCapabilities, requireCapability, requireEngineCapabilities } from '../commands/capability.js';
import type { Command, CommandContext, CommandData, CommandUi, ParsedArgs } from '../commands/command.js';
import { CancelledError, LhctlError, SafetyError } from '../core/errors.js';
import type { SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { equivalentCommand } from './commandLine.js';
import { recordingEngine } from './recordingEngine.js';

/** One action, as the transcript shows it and the audit log records it. */
export interface ActionRecord {
  id: number;
  time: Date;
  env: string;
  /** The equivalent one-shot command line. */
  command: string;
  /** Statements sent to the engine so far, in order. */
  sql: string[];
  /** Undefined while the action runs. */
  outcome: AuditOutcome | undefined;
  durationMs: number | undefined;
  error: string | undefined;
}

/** What a front-end does with a command's data: print it (CLI, REPL) or stream it into views (console). */
export type Consume<T> = (data: CommandData, global: GlobalArgs) => Promise<T>;

export interface ActionRequest {
  settings: Settings;
  command: Command;
  /** The words after the command name, as typed. */
  argv: string[];
  /** The env the action runs on: the line's own --env, else the front-end's current one. */
  profileFor: (env: string | undefined) => Profile;
  source: 'cli' | 'console' | 'repl';
  ui: CommandUi;
  signal: AbortSignal;
  /** The env's engine, opened on first use; the caller owns it and closes it. */
  engine: (profile: Profile) => Promise<SqlEngine>;
  /** Numbers the record; the console's transcript keeps counting across actions. */
  id?: number;
  /** A look-up a front-end makes for itself (completion names): not audited. */
  background?: boolean;
  /** Told the record as soon as it starts, and whenever a statement is added to it. */
  onRecord?: (record: ActionRecord) => void;
}

export interface ActionResult<T> {
  record: ActionRecord;
  exitCode: number;
  /** What `consume` returned; undefined when only help was asked for. */
  result: T | undefined;
  args: ParsedArgs;
  global: GlobalArgs;
  /** Undefined when only help was asked for. */
  profile?: Profile;
}

function outcomeOf(error: unknown, signal: AbortSignal): AuditOutcome {
  if (signal.aborted || error instanceof CancelledError) return 'cancelled';
  return error instanceof SafetyError ? 'refused' : 'failed';
}

/**
 * The one path every action takes, from the one-shot CLI, the REPL and the console alike: parse the
 * options, refuse what the env cannot do, build the command context, record the SQL the command
 * sends, hand the data to the front-end, and write the outcome to the audit log. Front-ends differ
 * only in how they show the data and in what the command declares for them (`Command.presentation`).
 */
export async function runAction<T>(request: ActionRequest, consume: Consume<T>): Promise<ActionResult<T>> {
  const { settings, command, argv, ui, signal } = request;
  // A line that does not parse is no action: the error is shown, nothing is audited.
  const { global, args } = parseCommandArgs(command, argv);
  if (global.help) {
    // Asking for help is no action: no env is read, nothing runs, nothing is audited.
    const result = await consume({ kind: 'message', text: commandHelp(command, args.positionals[0]).trimEnd() }, { ...global, output: 'table' });
    const record: ActionRecord = { id: request.id ?? 1, time: new Date(), env: '', command: ['lhctl', command.name, ...argv].join(' '), sql: [], outcome: 'ok', durationMs: 0, error: undefined };
    return { record, exitCode: 0, result, args, global };
  }
  const profile = request.profileFor(global.env);
  const record: ActionRecord = {
    id: request.id ?? 1,
    time: new Date(),
    env: profile.name,
    command: equivalentCommand(command.name, argv, profile.name),
    sql: [],
    outcome: undefined,
    durationMs: undefined,
    error: undefined,
  };
  request.onRecord?.(record);
  const started = performance.now();
  const ctx: CommandContext = {
    settings,
    profile,
    ui,
    signal,
    assumeYes: global.yes,
    engine: async () => {
      const engine = await request.engine(profile);
      requireEngineCapabilities(command, profile, engine);
      return recordingEngine(engine, (sql) => {
        record.sql.push(sql);
        request.onRecord?.(record);
      });
    },
  };
  try {
    const [missing] = missingCapabilities(command, profile);
    if (missing) requireCapability(command.name, profile, missing);
    const outcome = await command.run(ctx, args);
    const exitCode = outcome.exitCode ?? 0;
    const result = await consume(outcome.data, global);
    if (signal.aborted) throw new CancelledError('cancelled');
    record.outcome = exitCode === 0 ? 'ok' : 'failed';
    return { record, exitCode, result, args, global, profile };
  } catch (error) {
    record.outcome = outcomeOf(error, signal);
    record.error = error instanceof LhctlError ? error.message : String((error as Error)?.message ?? error);
    throw error;
  } finally {
    record.durationMs = Math.round(performance.now() - started);
    if (!request.background) auditAction(settings, request.source, record);
  }
}

/** Every action is written to the audit log, reads included (the SQL is what an auditor asks for). */
export function auditAction(settings: Settings, source: ActionRequest['source'], record: ActionRecord): void {
  appendAudit(settings.home, {
    env: record.env,
    source,
    command: record.command,
    sql: record.sql,
    outcome: record.outcome ?? 'failed',
    duration_ms: record.durationMs ?? 0,
    ...(record.error !== undefined ? { error: record.error } : {}),
  });
}
