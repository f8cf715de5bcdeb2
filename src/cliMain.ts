import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandHelp, mainHelp, parseCommandArgs } from './commands/args.js';
import { stderrUi } from './cliUi.js';
import { LhctlError, UsageError } from './core/errors.js';
import { packageRoot } from './core/paths.js';
import { closestNames } from './core/suggest.js';
import { COMMANDS, commandNames, findCommand } from './commands/index.js';
import type { CommandContext } from './commands/command.js';
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
    return 0;
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
  const ctx: CommandContext = {
    settings,
    profile,
    ui,
    signal: controller.signal,
    assumeYes: global.yes,
    async engine() {
      if (!engine) {
        const { openEngine } = await import('./engines/open.js');
        engine = await openEngine(settings, profile, {
          onProgress: (m) => ui.progress(m),
          onInstallProgress: (p) => ui.meter?.(`${p.phase === 'resolve' ? 'jars' : p.phase} ${p.detail}`, p.done, p.total),
        });
      }
      return engine;
    },
  };
  try {
    const outcome = await command.run(ctx, args);
    await render(process.stdout, outcome.data, {
      format: global.output,
      color: !settings.noColor && !global.noColor && process.stdout.isTTY === true,
      ...(global.limit !== undefined ? { limit: global.limit } : {}),
      note: (m) => ui.progress(m),
    });
    return outcome.exitCode ?? 0;
  } finally {
    process.off('SIGINT', onSigint);
    await engine?.close().catch(() => undefined);
  }
}

async function main(argv: string[]): Promise<number> {
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = printError(error, process.stderr.isTTY === true && !readSettings().noColor);
  },
);
