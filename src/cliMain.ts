import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandHelp, mainHelp } from './commands/args.js';
import { stderrUi } from './cliUi.js';
import { LhctlError, UsageError } from './core/errors.js';
import { packageRoot } from './core/paths.js';
import { closestNames } from './core/suggest.js';
import { COMMANDS, commandNames, findCommand } from './commands/index.js';
import { runAction } from './session/actionRunner.js';
import type { SqlEngine } from './engines/engine.js';
import { render } from './output/render.js';
import { loadProfile } from './profiles/profile.js';
import { readSettings } from './profiles/settings.js';

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

function printError(error: unknown, color: boolean, debug: boolean): number {
  const red = (t: string): string => (color ? `\x1b[31m${t}\x1b[39m` : t);
  if (error instanceof LhctlError) {
    process.stderr.write(`${red('error:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${error.hint}\n`);
    // --debug: the stack and what caused it, for a bug report; operators act on the message and hint.
    if (debug) process.stderr.write(`${error.stack ?? ''}\n${error.cause instanceof Error ? `caused by: ${error.cause.stack ?? error.cause.message}\n` : ''}`);
    return error.exitCode;
  }
  process.stderr.write(`${red('error:')} ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

function unknownCommand(name: string): UsageError {
  const near = closestNames(name, commandNames());
  return new UsageError(`unknown command "${name}"`, { hint: near.length ? `Did you mean \`lhctl ${near[0]}\`? See \`lhctl --help\`.` : 'See `lhctl --help`.' });
}

async function runOneShot(argv: string[]): Promise<number> {
  const { code, openConsole, env } = await runCommandOnce(argv);
  return openConsole ? runInteractive('console', ['--env', env]) : code;
}

async function runCommandOnce(argv: string[]): Promise<{ code: number; openConsole: boolean; env: string }> {
  const settings = readSettings();
  const [name, ...rest] = argv;
  const command = findCommand(name!);
  if (!command) throw unknownCommand(name!);
  const terminal = process.stderr.isTTY === true;
  const ui = stderrUi({ color: !settings.noColor && !rest.includes('--no-color') && terminal, interactive: process.stdin.isTTY === true, terminal });
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
  let opened: Promise<SqlEngine> | undefined;
  try {
    const { exitCode, args, profile, global } = await runAction(
      {
        settings,
        command,
        argv: rest,
        profileFor: (env) => loadProfile(settings.profilesDir, env ?? settings.defaultEnv),
        source: 'cli',
        ui,
        signal: controller.signal,
        engine: (profile) =>
          (opened ??= import('./engines/open.js').then(({ openEngine }) =>
            openEngine(settings, profile, {
              onProgress: (m) => ui.progress(m),
              onInstallProgress: (p) => ui.meter?.(`${p.phase === 'resolve' ? 'jars' : p.phase} ${p.detail}`, p.done, p.total),
            }),
          )),
      },
      (data, global) =>
        render(process.stdout, data, {
          format: global.output,
          color: !settings.noColor && !global.noColor && process.stdout.isTTY === true,
          ...(global.limit !== undefined ? { limit: global.limit } : {}),
          note: (m) => ui.progress(m),
        }),
    );
    // A command may end in the console (`lhctl demo`) when there is a terminal to show it on.
    let openConsole = false;
    if (!global.help && exitCode === 0 && command.presentation?.opensConsole?.(args)) {
      if (process.stdin.isTTY === true && process.stdout.isTTY === true) openConsole = true;
      else ui.progress('no terminal here, so the console stays closed; run `lhctl` on a terminal to open it');
    }
    return { code: exitCode, openConsole, env: command.presentation?.consoleEnv?.(args) ?? profile?.name ?? '' };
  } finally {
    process.off('SIGINT', onSigint);
    await opened?.then((engine) => engine.close()).catch(() => undefined);
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
  // Shell completion asks on every TAB: answered from the specs and caches, no engine, no audit.
  if (argv[0] === '__complete') {
    const words = argv[1] === '--' ? argv.slice(2) : argv.slice(1);
    const { completeWords } = await import('./commands/completion.js');
    process.stdout.write(
      completeWords(COMMANDS, words, readSettings())
        .map((w) => `${w}\n`)
        .join(''),
    );
    return 0;
  }
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
  if (argv[0] === 'help' && argv[1]) {
    const command = findCommand(argv[1]);
    if (!command) throw unknownCommand(argv[1]);
    process.stdout.write(commandHelp(command, argv[2]));
    return 0;
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
    const argv = process.argv.slice(2);
    process.exitCode = printError(error, process.stderr.isTTY === true && !readSettings().noColor && !argv.includes('--no-color'), argv.includes('--debug'));
  },
);
