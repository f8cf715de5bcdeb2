import { createInterface } from 'node:readline/promises';
import { SafetyError } from './core/errors.js';
import type { CommandUi } from './commands/command.js';

/** The one-shot CLI's UI: progress and warnings on stderr, confirmations typed on the terminal. */
export function stderrUi(options: { color: boolean; interactive: boolean }): CommandUi {
  const dim = (text: string): string => (options.color ? `\x1b[2m${text}\x1b[22m` : text);
  const yellow = (text: string): string => (options.color ? `\x1b[33m${text}\x1b[39m` : text);
  return {
    progress(message) {
      process.stderr.write(dim(`· ${message}`) + '\n');
    },
    warn(message) {
      process.stderr.write(yellow(`! ${message}`) + '\n');
    },
    async confirm(question, expected) {
      if (!options.interactive) {
        throw new SafetyError(`${question} — needs a typed confirmation, and there is no terminal to ask on`, {
          hint: 'Re-run with --yes to confirm in a script.',
        });
      }
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question}\nType ${expected} to confirm: `);
        return answer.trim() === expected;
      } finally {
        rl.close();
      }
    },
  };
}
