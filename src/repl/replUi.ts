import type { Interface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import { SafetyError } from '../core/errors.js';
import type { CommandUi } from '../commands/command.js';

/** The REPL's UI: progress and warnings on stderr; confirmations asked on the REPL's own line editor. */
export function replUi(err: Writable, options: { color: boolean; rl: Interface | undefined }): CommandUi {
  const dim = (t: string): string => (options.color ? `\x1b[2m${t}\x1b[22m` : t);
  const yellow = (t: string): string => (options.color ? `\x1b[33m${t}\x1b[39m` : t);
  return {
    progress: (message) => void err.write(dim(`· ${message}`) + '\n'),
    warn: (message) => void err.write(yellow(`! ${message}`) + '\n'),
    async confirm(question, expected) {
      if (!options.rl) {
        throw new SafetyError(`${question} — needs a typed confirmation, and there is no terminal to ask on`, {
          hint: 'Add --yes to the line to confirm in a script.',
        });
      }
      const answer = await options.rl.question(`${question}\nType ${expected} to confirm: `);
      return answer.trim() === expected;
    },
  };
}
