import { parseCommandArgs, type GlobalArgs } from '../commands/args.js';
import type { Command, CommandUi, ViewHint } from '../commands/command.js';
import { missingCapabilities } from '../commands/capability.js';
import { COMMANDS, commandNames, findCommand } from '../commands/index.js';
import { LhctlError, SafetyError, UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { capabilitiesOf, type SqlEngine } from '../engines/engine.js';
import { localServerRunning } from '../engines/open.js';
import { armedUntil, disarmEnv } from '../ops/arming.js';
import { loadProfile, profileNames, type Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import { auditAction, runAction, type ActionRecord, type Consume } from './actionRunner.js';
import { builtinData, builtinOf, BUILTINS, type BuiltinName } from './builtins.js';
import { tokenize } from './commandLine.js';

export type EngineState = 'unknown' | 'stopped' | 'starting' | 'running' | 'remote' | 'connected' | 'error';

export interface SessionState {
  env: string;
  profile: Profile;
  envs: string[];
  engine: EngineState;
  /** When the current (protected) env's write window closes. */
  armedUntil: Date | undefined;
}

export type { ActionRecord, Consume } from './actionRunner.js';

export interface RunIo {
  ui: CommandUi;
  signal: AbortSignal;
  /** A look-up the session makes for itself (completion names): kept out of the transcript and audit. */
  background?: boolean;
  /** Told the action's record as soon as it starts, to show its equivalent command while it runs. */
  onRecord?: (record: ActionRecord) => void;
}

export interface SessionOptions {
  settings: Settings;
  env?: string;
  source: 'console' | 'repl';
  /** How engines are opened; tests pass the suite's shared engine. */
  openEngine?: (settings: Settings, profile: Profile, onProgress: (message: string) => void) => Promise<SqlEngine>;
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
  /** `:as <group>`: the policy group SQL lines read as (the local preview's views), until `:as off` or another env. */
  private readAs: string | undefined;
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
    if (!capabilitiesOf(profile.engine).localRuntime) return this.update({ engine: 'remote' });
    try {
      const running = await localServerRunning(this.settings);
      if (this.current.profile === profile) this.update({ engine: running ? 'running' : 'stopped' });
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
    this.current = this.stateFor(profile, this.engines.has(profile.name) ? (capabilitiesOf(profile.engine).localRuntime ? 'running' : 'connected') : 'unknown');
    if (leaving !== profile.name) this.readAs = undefined;
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
          if (isCurrent()) this.update({ engine: capabilitiesOf(profile.engine).localRuntime ? 'running' : 'connected' });
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

  /** Runs SQL text through the `sql` command, exactly as `lhctl sql "<text>"` (with `--as <group>` after `:as`) would. */
  runSql<T>(text: string, io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    return this.run('sql', this.readAs ? ['--as', this.readAs, text] : [text], io, consume);
  }

  /** The group SQL lines read as, or undefined for the env's own tables. */
  get readingAs(): string | undefined {
    return this.readAs;
  }

  setReadingAs(group: string | undefined): void {
    this.readAs = group;
    this.notify();
  }

  async run<T>(name: string, argv: string[], io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    const builtin = builtinOf(name, argv);
    const command = builtin ? undefined : findCommand(name);
    if (!command) return this.runBuiltin(builtin ?? (name as BuiltinName), argv, io, consume);
    let told = false;
    try {
      const { record, exitCode, result, profile } = await runAction(
        {
          settings: this.settings,
          command,
          argv: withSessionDefaults(command, argv),
          profileFor: (env) => (env ? loadProfile(this.settings.profilesDir, env) : this.current.profile),
          source: this.options.source,
          ui: io.ui,
          signal: io.signal,
          engine: (profile) => this.engineFor(profile, io.ui),
          id: this.nextId++,
          ...(io.background ? { background: true } : {}),
          onRecord: (record) => {
            if (!told) {
              told = true;
              if (!io.background) this.remember(record);
              io.onRecord?.(record);
            }
            this.notify();
          },
        },
        consume,
      );
      if (command.presentation?.armsEnv && profile?.protected) this.armedHere.add(profile.name);
      return { record, exitCode, result: result as T };
    } finally {
      this.current = { ...this.current, armedUntil: this.current.profile.protected ? armedUntil(this.settings.home, this.current.env) : undefined };
      this.notify();
      if (command.presentation?.changesEngineState) void this.refreshAfterEngineCommand();
    }
  }

  /** Where the console shows a typed line's answer, as its command declares; the grid when the line does not parse. */
  viewOf(line: string): ViewHint {
    try {
      const { name, argv } = this.resolve(line);
      const command = builtinOf(name, argv) ? undefined : findCommand(name);
      if (!command?.presentation?.view) return { kind: 'result' };
      return command.presentation.view(parseCommandArgs(command, argv).args, argv.length);
    } catch {
      return { kind: 'result' };
    }
  }

  private remember(record: ActionRecord): void {
    this.records.push(record);
    if (this.records.length > MAX_TRANSCRIPT) this.records.shift();
  }

  /** `env <name>` and `help`: the session's own words, shown and audited like commands. */
  private async runBuiltin<T>(name: BuiltinName, argv: string[], io: RunIo, consume: Consume<T>): Promise<RunResult<T>> {
    const record: ActionRecord = {
      id: this.nextId++,
      time: new Date(),
      env: this.current.env,
      command: `:${[name, ...argv].join(' ')}`,
      sql: [],
      outcome: undefined,
      durationMs: undefined,
      error: undefined,
    };
    if (!io.background) this.remember(record);
    this.notify();
    io.onRecord?.(record);
    const started = performance.now();
    try {
      const result = await consume(builtinData(name, argv, this), PLAIN_OUTPUT);
      record.outcome = 'ok';
      return { record, exitCode: 0, result };
    } catch (error) {
      record.outcome = error instanceof SafetyError ? 'refused' : 'failed';
      record.error = error instanceof LhctlError ? error.message : String((error as Error)?.message ?? error);
      throw error;
    } finally {
      record.durationMs = Math.round(performance.now() - started);
      if (!io.background) auditAction(this.settings, this.options.source, record);
      this.notify();
    }
  }

  private async refreshAfterEngineCommand(): Promise<void> {
    const profile = this.current.profile;
    if (!capabilitiesOf(profile.engine).localRuntime) return;
    const running = await localServerRunning(this.settings);
    if (!running) {
      const stale = this.engines.get(profile.name);
      this.engines.delete(profile.name);
      void stale?.then((e) => e.close()).catch(() => undefined);
    }
    this.update({ engine: running ? 'running' : 'stopped' });
  }

  /** The commands the current env can run: the console and the REPL offer only these. */
  availableCommands(): Command[] {
    return COMMANDS.filter((c) => missingCapabilities(c, this.current.profile).length === 0);
  }

  /** Names a completer offers for commands, in `:` lines and the REPL. */
  commandWords(): string[] {
    return [...this.availableCommands().flatMap((c) => [c.name, ...(c.aliases ?? [])]), ...BUILTINS];
  }

  async close(): Promise<void> {
    for (const env of this.armedHere) disarmEnv(this.settings.home, env);
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map((p) => p.then((e) => e.close()).catch(() => undefined)));
  }
}

const PLAIN_OUTPUT: GlobalArgs = { env: undefined, output: 'table', limit: undefined, yes: false, noColor: false, help: false };

/** Adds the options a command asks an interactive session to default (`arm` opens a short window there). */
function withSessionDefaults(command: Command, argv: string[]): string[] {
  const defaults = Object.entries(command.presentation?.sessionDefaults ?? {});
  const missing = defaults.filter(([option]) => !argv.some((a) => a === `--${option}` || a.startsWith(`--${option}=`)));
  return [...argv, ...missing.flatMap(([option, value]) => [`--${option}`, value])];
}

export interface RunResult<T> {
  record: ActionRecord;
  exitCode: number;
  result: T;
}
