import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlEngine } from '../../../src/engines/engine.js';
import { ConsoleSession } from '../../../src/session/session.js';
import { ConsoleRoot, sessionValue } from '../../../src/ui/runConsole.js';
import { testSettings } from '../../support/engine.js';
import { renderAt, type Terminal } from './terminal.js';

export interface ConsoleHarness extends Terminal {
  session: ConsoleSession;
  home: string;
  quitCalled: () => boolean;
  auditLines: () => Record<string, unknown>[];
}

/** The suite's shared engine, kept open when a console session closes. */
export function keepOpen(engine: SqlEngine): SqlEngine {
  return new Proxy(engine, {
    get: (target, property, receiver) => (property === 'close' ? async () => undefined : (Reflect.get(target, property, receiver) as unknown)),
  });
}

/** The real console (same root as `lhctl`), on a fake terminal, over the given engine and a fresh home. */
export function startConsole(engine: () => Promise<SqlEngine>, options: { env?: string; columns?: number; rows?: number; home?: string; profilesDir?: string } = {}): ConsoleHarness {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'lhctl-ui-'));
  const settings = testSettings({ LHCTL_HOME: home, ...(options.profilesDir ? { LHCTL_PROFILES_DIR: options.profilesDir } : {}) });
  const session = new ConsoleSession({ settings, source: 'console', env: options.env ?? 'local', openEngine: () => engine() });
  let quit = false;
  const terminal = renderAt(<ConsoleRoot value={sessionValue(session)} quit={() => (quit = true)} cwd={home} />, { columns: options.columns ?? 80, rows: options.rows ?? 24 });
  return {
    ...terminal,
    session,
    home,
    quitCalled: () => quit,
    auditLines: () => {
      const file = join(home, 'audit.jsonl');
      return existsSync(file)
        ? readFileSync(file, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [];
    },
    unmount: () => {
      terminal.unmount();
      void session.close();
    },
  };
}
