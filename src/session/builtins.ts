import { UsageError } from '../core/errors.js';
import type { CommandData } from '../commands/command.js';
import { ENV_VERBS } from '../commands/env.js';
import { envCan } from '../commands/capability.js';
import { roleNamed } from '../ops/governance/localPreview.js';
import { loadPolicy } from '../ops/governance/policy.js';
import { loadProfile } from '../profiles/profile.js';
import { columnsOf } from '../output/render.js';
import type { ConsoleSession } from './session.js';

/** Words the console and the REPL understand besides the commands themselves. */
export const BUILTINS = ['env', 'help', 'as'] as const;
export type BuiltinName = (typeof BUILTINS)[number];

/**
 * The built-in a typed line means, if any. `env <name>` switches the session; `env list|show|use`
 * is the `lhctl env` command, as on the command line.
 */
export function builtinOf(name: string, argv: readonly string[]): BuiltinName | undefined {
  if (name === 'help') return 'help';
  if (name === 'as') return 'as';
  if (name === 'env' && !(ENV_VERBS as readonly string[]).includes(argv[0] ?? '')) return 'env';
  return undefined;
}

const BUILTIN_HELP: [string, string][] = [
  ['env [name]', 'Switch the session to another env (ends arming of the one left); no name lists them; env list|show|use as in lhctl'],
  ['as [group|off]', "Run SQL lines as a group of the access policy sees it (the local preview's views, not a security boundary); off: the env's own tables"],
  ['help', 'This list'],
];

export function builtinData(name: BuiltinName, argv: string[], session: ConsoleSession): CommandData {
  switch (name) {
    case 'env': {
      if (argv.length > 1) throw new UsageError('`env` takes one env name', { hint: 'Example: :env qa' });
      if (argv[0]) {
        const profile = session.setEnv(argv[0]);
        const note = profile.protected ? ' — protected: read-only until :arm' : '';
        return { kind: 'message', text: `env ${profile.name} (${profile.engine}, ${profile.catalog})${note}` };
      }
      const { env, envs } = session.state;
      const rows = envs.map((e) => {
        const p = loadProfile(session.settings.profilesDir, e);
        return [e === env ? `* ${e}` : `  ${e}`, p.engine, p.catalog, p.protected ? 'yes' : 'no'];
      });
      return { kind: 'table', title: 'environments', columns: columnsOf(['env', 'engine', 'catalog', 'protected']), rows };
    }
    case 'as': {
      if (argv.length > 1) throw new UsageError('`as` takes one group name, or off', { hint: 'Example: :as analysts' });
      const group = argv[0];
      if (group === undefined) return { kind: 'message', text: session.readingAs ? `SQL lines read as ${session.readingAs}` : "SQL lines read the env's own tables" };
      if (group === 'off') {
        session.setReadingAs(undefined);
        return { kind: 'message', text: "SQL lines read the env's own tables again" };
      }
      if (envCan(session.state.profile, 'grants')) {
        throw new UsageError(`:as previews the access policy on envs that enforce none; on env "${session.state.env}" Unity Catalog enforces it`, {
          hint: 'Run :grants plan to compare the env with the policy.',
        });
      }
      const role = roleNamed(loadPolicy(), session.state.profile, group);
      session.setReadingAs(role.name);
      return { kind: 'message', text: `SQL lines now read as ${role.name}: the policy preview's views, not a security boundary (:as off to stop)` };
    }
    case 'help': {
      const rows = [...session.availableCommands().map((c) => [[c.name, ...(c.aliases ?? [])].join(', '), c.summary]), ...BUILTIN_HELP];
      return { kind: 'table', title: 'commands (prefix with : in the console)', columns: columnsOf(['command', 'summary']), rows };
    }
  }
}
