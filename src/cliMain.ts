import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandHelp, mainHelp, parseCommandArgs } from './commands/args.js';
import { stderrUi } from './cliUi.js';
import { CancelledError, LhctlError, SafetyError, UsageError } from './core/errors.js';
import { packageRoot } from './core/paths.js';
import { closestNames } from './core/suggest.js';
import { COMMANDS, commandNames, findCommand } from './commands/index.js';
import type { CommandContext } from './commands/command.js';
import { appendAudit, type AuditOutcome } from './commands/audit.js';
import { equivalentCommand } from './session/commandLine.js';
import { recordingEngine } from './session/recordingEngine.js';
import type { SqlEngine } from './engines/engine.js';
import { render } from './output/render.js';
import { loadProfile } from './profiles/profile.js';
import { readSettings } from './profiles/settings.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function printError(error: unknown, color: boolean): number {
  const red = (t: string): string => (color ? `\x1b[31m${t}\x1b[39m` : t);
  if (error instanceof LhctlError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${error.hint}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${red('error:')} ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

async function runOneShot(argv: string[]): Promise<number> {
  const { code, openConsole, env } = await runCommandOnce(argv);
  return openConsole ? runInteractive('console', ['--env', env]) : code;
}

async function runCommandOnce(argv: string[]): Promise<{ code: number; openConsole: boolean; env: string }> {
  const settings = readSettings();
  const [name, ...rest] = argv;
  const command = findCommand(name!);
  if (!command) {
    const near = closestNames(name!, commandNames());
    throw new UsageError(`unknown command "${name}"`, { hint: near.length ? `Did you mean \`lhctl ${near[0]}\`? See \`lhctl --help\`.` : 'See `lhctl --help`.' });
  }
  const { global, args } = parseCommandArgs(command, rest);
  if (global.help) {
    process.stdout.write(commandHelp(command));
    return { code: 0, openConsole: false, env: '' };
  }
  const color = !settings.noColor && !global.noColor && process.stderr.isTTY === true;
  const profile = loadProfile(settings.profilesDir, global.env ?? settings.defaultEnv);
  const ui = stderrUi({ color, interactive: process.stdin.isTTY === true, terminal: process.stderr.isTTY === true });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ncancelling… (Ctrl-C again to quit at once)\n');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);

  let engine: SqlEngine | undefined;
  let openConsoleAfter = false;
  const statements: string[] = [];
  const started = Date.now();
  let outcome: AuditOutcome = 'failed';
  let failure: string | undefined;
  const ctx: CommandContext = {
    settings,
    profile,
    ui,
    signal: controller.signal,
    assumeYes: global.yes,
    async engine() {
      if (!engine) {
        const { openEngine } = await import('./engines/open.js');
        const opened = await openEngine(settings, profile, {
          onProgress: (m) => ui.progress(m),
          onInstallProgress: (p) => ui.meter?.(`${p.phase === 'resolve' ? 'jars' : p.phase} ${p.detail}`, p.done, p.total),
        });
        engine = recordingEngine(opened, (sql) => statements.push(sql));
      }
      return engine;
    },
  };
  try {
    const result = await command.run(ctx, args);
    await render(process.stdout, result.data, {
      format: global.output,
      color: !settings.noColor && !global.noColor && process.stdout.isTTY === true,
      ...(global.limit !== undefined ? { limit: global.limit } : {}),
      note: (m) => ui.progress(m),
    });
    outcome = (result.exitCode ?? 0) === 0 ? 'ok' : 'failed';
    // `lhctl demo` ends in the console when there is a terminal to show it on.
    if (command.name === 'demo' && outcome === 'ok' && args.options['no-console'] !== true) {
      if (process.stdin.isTTY === true && process.stdout.isTTY === true) openConsoleAfter = true;
      else ui.progress('no terminal here, so the console stays closed; run `lhctl` on a terminal to open it');
    }
    return { code: result.exitCode ?? 0, openConsole: openConsoleAfter, env: profile.name };
  } catch (error) {
    outcome = error instanceof CancelledError ? 'cancelled' : error instanceof SafetyError ? 'refused' : 'failed';
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    await engine?.close().catch(() => undefined);
    // Every action is written to the audit log, reads included (the SQL is what an auditor asks for).
    appendAudit(settings.home, {
      env: profile.name,
      source: 'cli',
      command: equivalentCommand(command.name, rest, profile.name),
      sql: statements,
      outcome,
      duration_ms: Date.now() - started,
      ...(failure ? { error: failure } : {}),
    });
  }
}

/** `lhctl [console|repl] [--env e]`: the interactive modes, loaded only when asked for (Ink is heavy). */
async function runInteractive(mode: 'console' | 'repl', argv: string[]): Promise<number> {
  const settings = readSettings();
  let env: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if ((word === '--env' || word === '-e') && argv[i + 1]) env = argv[++i];
    else if (word.startsWith('--env=')) env = word.slice('--env='.length);
    else throw new UsageError(`\`lhctl ${mode}\` takes only --env (got "${word}")`);
  }
  if (mode === 'console') {
    const { runConsole } = await import('./ui/runConsole.js');
    return runConsole({ settings, ...(env ? { env } : {}) });
  }
  const { runRepl } = await import('./repl/index.js');
  return runRepl({ settings, ...(env ? { env } : {}), color: !settings.noColor && process.stdout.isTTY === true });
}

async function main(argv: string[]): Promise<number> {
  const onTerminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
  if (argv[0] === 'repl' || argv[0] === 'console') {
    if (argv[0] === 'console' && !onTerminal) throw new UsageError('the console needs a terminal', { hint: 'Use `lhctl repl` or one-shot commands in scripts.' });
    return runInteractive(argv[0], argv.slice(1));
  }
  if (argv.length === 0 && onTerminal) return runInteractive('console', []);
  // `lhctl --env qa` on a terminal: the console on that env.
  if (onTerminal && argv.length > 0 && (argv[0] === '--env' || argv[0] === '-e' || argv[0]!.startsWith('--env=')) && argv.length <= 2) {
    return runInteractive('console', argv);
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(mainHelp(COMMANDS, version()));
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`lhctl ${version()}\n`);
    return 0;
  }
  return runOneShot(argv);
}

// A reader that stops early (`lhctl sql … | head`) closes the pipe: that ends the output, not in a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = printError(error, process.stderr.isTTY === true && !readSettings().noColor);
  },
);
