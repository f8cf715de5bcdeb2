import chalk from 'chalk';
import { render } from 'ink';
import type { Settings } from '../profiles/settings.js';
import { SessionCatalog } from '../session/catalog.js';
import { InputHistory } from '../session/history.js';
import { ConsoleSession, type SessionOptions } from '../session/session.js';
import { App } from './App.js';
import { ConsoleProvider } from './contexts/ConsoleContext.js';
import { SessionProvider, type SessionValue } from './contexts/SessionContext.js';

export interface ConsoleOptions {
  settings: Settings;
  /** The env to open (`--env`); default the settings' default env. */
  env?: string;
  /** Where `:export` resolves relative paths; default the process's working directory. */
  cwd?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Tests pass the suite's engine. */
  openEngine?: SessionOptions['openEngine'];
}

/** The session-side values the console's components share. */
export function sessionValue(session: ConsoleSession): SessionValue {
  const histories = new Map<string, InputHistory>();
  return {
    session,
    catalog: new SessionCatalog(session),
    history: (env) => {
      let h = histories.get(env);
      if (!h) histories.set(env, (h = new InputHistory(session.settings.home, env)));
      return h;
    },
  };
}

export function ConsoleRoot({ value, quit, cwd }: { value: SessionValue; quit: () => void; cwd: string }) {
  return (
    <SessionProvider value={value}>
      <ConsoleProvider quit={quit}>
        <App cwd={cwd} />
      </ConsoleProvider>
    </SessionProvider>
  );
}

/**
 * `lhctl` on a terminal: the full-screen console. Resolves to the exit code once the operator
 * quits; engines opened during the session are closed and arming done here ends.
 */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  // NO_COLOR holds in the full-screen console too: Ink colours through chalk, which does not read it.
  if (options.settings.noColor) chalk.level = 0;
  const session = new ConsoleSession({
    settings: options.settings,
    source: 'console',
    ...(options.env ? { env: options.env } : {}),
    ...(options.openEngine ? { openEngine: options.openEngine } : {}),
  });
  const value = sessionValue(session);
  let quit = (): void => undefined;
  const instance = render(<ConsoleRoot value={value} quit={() => quit()} cwd={options.cwd ?? process.cwd()} />, {
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.stdout ? { stdout: options.stdout } : {}),
    exitOnCtrlC: false,
    // The console opens only on a terminal; Ink would otherwise draw nothing until exit when `CI` is set.
    interactive: true,
    alternateScreen: true,
    patchConsole: true,
  });
  quit = () => instance.unmount();
  try {
    await instance.waitUntilExit();
  } finally {
    await session.close();
  }
  return 0;
}
