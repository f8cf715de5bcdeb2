import { parseCommandArgs, type GlobalArgs } from '../commands/args.js';
import { CancelledError, LhctlError, SafetyError, UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { appendAudit, type AuditOutcome } from '../commands/audit.js';
import type { CommandContext, CommandData, CommandUi } from '../commands/command.js';
import { COMMANDS, commandNames, findCommand } from '../commands/index.js';
import type { SqlEngine } from '../engines/engine.js';
import { armedUntil, disarmEnv } from '../ops/arming.js';
import { loadProfile, profileNames, type Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { builtinData, builtinOf, BUILTINS, type BuiltinName } from './builtins.js';
import { envOption, equivalentCommand, tokenize } from './commandLine.js';
import { recordingEngine } from './recordingEngine.js';

export type EngineState = 'unknown' | 'stopped' | 'starting' | 'running' | 'remote' | 'connected' | 'error';

export interface SessionState {
  env: string;
  profile: Profile;
  envs: string[];
  engine: EngineState;
  /** When the current (protected) env's write window closes. */
  armedUntil: Date | undefined;
}

/** One action of the session, as the transcript shows it and the audit log records it. */
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

export interface RunIo {
  ui: CommandUi;
  signal: AbortSignal;
  /** A look-up the session makes for itself (completion names): kept out of the transcript and audit. */
  background?: boolean;
  /** Told the action's record as soon as it starts, to show its equivalent command while it runs. */
  onRecord?: (record: ActionRecord) => void;
}

/** What a front-end does with a command's data: render it (REPL) or stream it into views (console). */
export type Consume<T> = (data: CommandData, global: GlobalArgs) => Promise<T>;

export interface SessionOptions {
  settings: Settings;
  env?: string;
  source: 'console' | 'repl';
  /** How engines are opened; tests pass the suite's shared engine. */
  openEngine?: (settings: Settings, profile: Profile, onProgress: (message: string) => void) => Promise<SqlEngine>;
  /** How long `arm` lasts in an interactive session unless --for is given. */
  armMinutes?: number;
}

type Listener = () => void;

const MAX_TRANSCRIPT = 200;

/**
 * The interactive session behind the console and the REPL: the current env, one engine per env
 * kept open between actions, and every action run through the shared command objects, shown as
 * its one-shot equivalent and appended to the audit log.
 */
export class ConsoleSession {
  readonly settings: Settings;
  private current: SessionState;
  private readonly engines = new Map<string, Promise<SqlEngine>>();
  private readonly listeners = new Set<Listener>();
  private readonly records: ActionRecord[] = [];
  private readonly armedHere = new Set<string>();
  private nextId = 1;
  /** Counts changes (state, transcript), for views that redraw on any of them. */
  version = 0;

  constructor(private readonly options: SessionOptions) {
    this.settings = options.settings;
    const profile = loadProfile(this.settings.profilesDir, options.env ?? this.settings.defaultEnv);
    this.current = this.stateFor(profile, 'unknown');
    void this.refreshEngineState();
  }

  get state(): SessionState {
    return this.current;
  }

  get transcript(): readonly ActionRecord[] {
    return this.records;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  private stateFor(profile: Profile, engine: EngineState): SessionState {
    return {
      env: profile.name,
      profile,
      envs: profileNames(this.settings.profilesDir),
      engine,
      armedUntil: profile.protected ? armedUntil(this.settings.home, profile.name) : undefined,
    };
  }

  private update(patch: Partial<SessionState>): void {
    this.current = { ...this.current, ...patch };
    this.notify();
  }

  /** Whether the local server answers; remote engines show `remote` until first used. */
  async refreshEngineState(): Promise<void> {
    const profile = this.current.profile;
    if (this.engines.has(profile.name)) return;
    if (profile.engine !== 'local') return this.update({ engine: 'remote' });
    try {
      const { serverStatus } = await import('../engines/local/server.js');
      const status = await serverStatus(this.settings.home);
      if (this.current.profile === profile) this.update({ engine: status.running ? 'running' : 'stopped' });
    } catch {
      this.update({ engine: 'unknown' });
    }
  }

  /** Switch the console to another env; arming of the env being left ends here. */
  setEnv(name: string): Profile {
    const profile = loadProfile(this.settings.profilesDir, name);
    const leaving = this.current.env;
    if (leaving !== profile.name && this.armedHere.has(leaving)) {
      disarmEnv(this.settings.home, leaving);
      this.armedHere.delete(leaving);
    }
    this.current = this.stateFor(profile, this.engines.has(profile.name) ? (profile.engine === 'local' ? 'running' : 'connected') : 'unknown');
    this.notify();
    void this.refreshEngineState();
    return profile;
  }

  private engineFor(profile: Profile, ui: CommandUi): Promise<SqlEngine> {
    let engine = this.engines.get(profile.name);
    if (!engine) {
      const open = this.options.openEngine ?? (async (s, p, onProgress) => (await import('../engines/open.js')).openEngine(s, p, { onProgress }));
      const isCurrent = (): boolean => this.current.profile.name === profile.name;
      if (isCurrent()) this.update({ engine: 'starting' });
      engine = open(this.settings, profile, (m) => ui.progress(m)).then(
        (opened) => {
          if (isCurrent()) this.update({ engine: profile.engine === 'local' ? 'running' : 'connected' });
          return opened;
        },
        (error: unknown) => {
          this.engines.delete(profile.name);
          if (isCurrent()) this.update({ engine: 'error' });
          throw error;
        },
      );
      this.engines.set(profile.name, engine);
    }
    return engine;
  }

  /** A line as typed (without a leading `:`): a command, a console built-in, or an error with a hint. */
  resolve(line: string): { name: string; argv: string[] } {
    const words = tokenize(line.trim());
    const [name, ...argv] = words;
    if (!name) throw new UsageError('empty command');
    if (!findCommand(name) && !BUILTINS.includes(name as BuiltinName)) {
      const near = closestNames(name, [...commandNames(), ...BUILTINS]);
      throw new UsageError(`unknown command "${name}"`, { hint: near.length ? `Did you mean :${near[0]}? Type :help for the list.` : 'Type :help for the list.' });
    }
    return { name, argv };
  }

  /** Runs a typed line, e.g. `history gold.dim_customer` or `env qa`. */
  async runLine<T>(line: string, io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    const { name, argv } = this.resolve(line);
    return this.run(name, argv, io, consume);
  }

  /** Runs SQL text through the `sql` command, exactly as `lhctl sql "<text>"` would. */
  runSql<T>(text: string, io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    return this.run('sql', [text], io, consume);
  }

  async run<T>(name: string, argv: string[], io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    const builtin = builtinOf(name, argv);
    const command = builtin ? undefined : findCommand(name);
    const lineEnv = envOption(argv);
    const env = lineEnv ?? this.current.env;
    // A console `:arm` opens a short window unless the operator says otherwise.
    const effectiveArgv = command?.name === 'arm' && !argv.some((a) => a === '--for' || a.startsWith('--for=')) ? [...argv, '--for', `${this.options.armMinutes ?? 10}m`] : argv;
    const record: ActionRecord = {
      id: this.nextId++,
      time: new Date(),
      env,
      command: command ? equivalentCommand(command.name, effectiveArgv, env) : `:${[name, ...argv].join(' ')}`,
      sql: [],
      outcome: undefined,
      durationMs: undefined,
      error: undefined,
    };
    if (!io.background) {
      this.records.push(record);
      if (this.records.length > MAX_TRANSCRIPT) this.records.shift();
      this.notify();
    }
    io.onRecord?.(record);
    const started = performance.now();
    try {
      let data: CommandData;
      let exitCode = 0;
      let global: GlobalArgs;
      if (!command) {
        global = { env: undefined, output: 'table', limit: undefined, yes: false, noColor: false, help: false };
        data = builtinData(builtin ?? (name as BuiltinName), argv, this);
      } else {
        const parsed = parseCommandArgs(command, effectiveArgv);
        global = parsed.global;
        const profile = lineEnv ? loadProfile(this.settings.profilesDir, lineEnv) : this.current.profile;
        const ctx: CommandContext = {
          settings: this.settings,
          profile,
          ui: io.ui,
          signal: io.signal,
          assumeYes: parsed.global.yes,
          engine: async () =>
            recordingEngine(await this.engineFor(profile, io.ui), (sql) => {
              record.sql.push(sql);
              this.notify();
            }),
        };
        const outcome = await command.run(ctx, parsed.args);
        data = outcome.data;
        exitCode = outcome.exitCode ?? 0;
        if (command.name === 'arm' && profile.protected) this.armedHere.add(profile.name);
      }
      const result = await consume(data, global);
      if (io.signal.aborted) throw new CancelledError('cancelled');
      record.outcome = exitCode === 0 ? 'ok' : 'failed';
      return { record, exitCode, result };
    } catch (error) {
      record.outcome = io.signal.aborted || error instanceof CancelledError ? 'cancelled' : error instanceof SafetyError ? 'refused' : 'failed';
      record.error = error instanceof LhctlError ? error.message : String((error as Error)?.message ?? error);
      throw error;
    } finally {
      record.durationMs = Math.round(performance.now() - started);
      if (!io.background) appendAudit(this.settings.home, {
        env: record.env,
        source: this.options.source,
        command: record.command,
        sql: record.sql,
        outcome: record.outcome ?? 'failed',
        duration_ms: record.durationMs,
        ...(record.error !== undefined ? { error: record.error } : {}),
      });
      this.current = { ...this.current, armedUntil: this.current.profile.protected ? armedUntil(this.settings.home, this.current.env) : undefined };
      this.notify();
      if (command?.name === 'engine') void this.refreshAfterEngineCommand();
    }
  }

  private async refreshAfterEngineCommand(): Promise<void> {
    const profile = this.current.profile;
    if (profile.engine !== 'local') return;
    const { serverStatus } = await import('../engines/local/server.js');
    const status = await serverStatus(this.settings.home);
    if (!status.running) {
      const stale = this.engines.get(profile.name);
      this.engines.delete(profile.name);
      void stale?.then((e) => e.close()).catch(() => undefined);
    }
    this.update({ engine: status.running ? 'running' : 'stopped' });
  }

  /** Names a completer offers for commands, in `:` lines and the REPL. */
  commandWords(): string[] {
    return [...COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]), ...BUILTINS];
  }

  async close(): Promise<void> {
    for (const env of this.armedHere) disarmEnv(this.settings.home, env);
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }
}

export interface RunResult<T> {
  record: ActionRecord;
  exitCode: number;
  result: T;
}
