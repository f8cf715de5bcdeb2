import { createInterface, type Interface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { LhctlError } from '../core/errors.js';
import { render } from '../output/render.js';
import type { Settings } from '../profiles/settings.js';
import { SessionCatalog } from '../session/catalog.js';
import { completeCommand, completeSql } from '../session/completion.js';
import { InputHistory } from '../session/history.js';
import { ConsoleSession, type SessionOptions } from '../session/session.js';
import { classifyLine } from './lineKind.js';
import { replUi } from './replUi.js';

export interface ReplOptions {
  settings: Settings;
  /** The env to start in (`--env`); default the settings' default env. */
  env?: string;
  input?: Readable & { isTTY?: boolean };
  output?: Writable & { isTTY?: boolean };
  errorOutput?: Writable;
  /** Colour in tables and notes; default: output is a TTY and NO_COLOR is not set. */
  color?: boolean;
  /** Tests pass the suite's engine. */
  openEngine?: SessionOptions['openEngine'];
}

/**
 * `lhctl repl`: a line REPL over the same commands and SQL as the console. A line that starts
 * with a command name (or `:`) is a command; anything else is SQL, run once it ends with `;`. On a
 * terminal it prompts, completes, keeps per-env history and Ctrl-C cancels the running statement;
 * with piped input it runs line by line and prints plain output. Resolves to the exit code: 0, or
 * the code of the last failed line.
 */
export async function runRepl(options: ReplOptions): Promise<number> {
  const input = options.input ?? process.stdin;
  const out = options.output ?? process.stdout;
  const err = options.errorOutput ?? process.stderr;
  const interactive = input.isTTY === true && out.isTTY === true;
  const color = options.color ?? (interactive && !options.settings.noColor);
  const session = new ConsoleSession({ settings: options.settings, source: 'repl', ...(options.env ? { env: options.env } : {}), ...(options.openEngine ? { openEngine: options.openEngine } : {}) });
  const catalog = new SessionCatalog(session);
  let history = new InputHistory(options.settings.home, session.state.env);
  let pendingSql = '';
  let exitCode = 0;
  let running: AbortController | undefined;

  const completer = (line: string): [string[], string] => {
    const body = line.replace(/^:/, '');
    const kind = classifyLine(line, pendingSql);
    // The first word may start a command or a statement; after it, the line's kind decides.
    const firstWord = !pendingSql && !/\s/.test(body.trimStart());
    const done = firstWord
      ? {
          ...completeCommand(body, body.length, session.commandWords(), catalog),
          candidates: [...completeCommand(body, body.length, session.commandWords(), catalog).candidates, ...(line.startsWith(':') ? [] : completeSql(body, body.length, catalog).candidates)],
        }
      : kind.kind === 'command'
        ? completeCommand(body, body.length, session.commandWords(), catalog)
        : completeSql(line, line.length, catalog);
    // A single match is finished off with a space, ready for the next word.
    const candidates = done.candidates.length === 1 ? [`${done.candidates[0]} `] : done.candidates;
    return [candidates, line.slice(done.start + (line.length - body.length))];
  };
  const rl: Interface = createInterface({
    input,
    output: interactive ? out : undefined,
    terminal: interactive,
    ...(interactive ? { completer, history: [...history.all].reverse(), historySize: 1000 } : {}),
  } as Parameters<typeof createInterface>[0]);
  const ui = replUi(err, { color, rl: interactive ? rl : undefined });

  const prompt = (): string => {
    const { env, profile, armedUntil } = session.state;
    if (pendingSql) return `${' '.repeat(env.length + 5)}…> `;
    const mark = profile.protected ? (armedUntil ? '(armed)' : '(read-only)') : '';
    return `lhctl ${env}${mark}> `;
  };

  const showError = (error: unknown): void => {
    const red = (t: string): string => (color ? `\x1b[31m${t}\x1b[39m` : t);
    if (error instanceof LhctlError) {
      err.write(`${red('error:')} ${error.message}\n${error.hint ? `${error.hint}\n` : ''}`);
      exitCode = error.exitCode;
    } else {
      err.write(`${red('error:')} ${(error as Error)?.message ?? String(error)}\n`);
      exitCode = 1;
    }
  };

  const execute = async (run: (io: { ui: typeof ui; signal: AbortSignal }) => Promise<{ exitCode: number }>): Promise<void> => {
    running = new AbortController();
    try {
      const result = await run({ ui, signal: running.signal });
      if (result.exitCode !== 0) exitCode = result.exitCode;
    } catch (error) {
      showError(error);
    } finally {
      running = undefined;
    }
  };

  const consume = async (data: Parameters<typeof render>[1], global: { output: 'table' | 'json' | 'csv'; limit: number | undefined }): Promise<void> =>
    render(out, data, { format: global.output, color, ...(global.limit !== undefined ? { limit: global.limit } : {}), note: (m) => ui.progress(m) });

  const handle = async (line: string): Promise<boolean> => {
    const kind = classifyLine(line, pendingSql);
    if (kind.kind === 'quit') return false;
    if (kind.kind === 'empty') return true;
    if (kind.kind === 'command') {
      history.add(line);
      const envBefore = session.state.env;
      await execute((io) => session.runLine(kind.line, io, consume));
      if (session.state.env !== envBefore) history = new InputHistory(options.settings.home, session.state.env);
      return true;
    }
    if (!kind.complete) {
      pendingSql = kind.text;
      return true;
    }
    pendingSql = '';
    history.add(kind.text);
    await execute((io) => session.runSql(kind.text, io, consume));
    if (interactive) void catalog.preload().catch(() => undefined);
    return true;
  };

  let closed = false;
  rl.on('close', () => (closed = true));
  const showPrompt = (): void => {
    if (!interactive || closed) return;
    rl.setPrompt(prompt());
    rl.prompt();
  };

  rl.on('SIGINT', () => {
    if (running) {
      err.write('\ncancelling…\n');
      running.abort();
    } else if (pendingSql) {
      pendingSql = '';
      out.write('\n');
      showPrompt();
    } else {
      out.write('\n(:quit or Ctrl-D to leave)\n');
      showPrompt();
    }
  });

  try {
    if (interactive) void catalog.preload().catch(() => undefined);
    showPrompt();
    for await (const line of rl) {
      const goOn = await handle(line);
      if (!goOn) break;
      showPrompt();
    }
    // Input that ends (Ctrl-D, end of a pipe) in the middle of a statement runs what was typed.
    const rest = pendingSql.trim();
    if (rest) await execute((io) => session.runSql(rest, io, consume));
  } finally {
    rl.close();
    await session.close();
  }
  return exitCode;
}
