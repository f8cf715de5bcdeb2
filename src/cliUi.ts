import { createInterface } from 'node:readline/promises';
import { SafetyError } from './core/errors.js';
import type { CommandUi } from './commands/command.js';

/** The one-shot CLI's UI: progress and warnings on stderr, confirmations typed on the terminal. */
export function stderrUi(options: { color: boolean; interactive: boolean; terminal: boolean }): CommandUi {
  const dim = (text: string): string => (options.color ? `\x1b[2m${text}\x1b[22m` : text);
  const yellow = (text: string): string => (options.color ? `\x1b[33m${text}\x1b[39m` : text);
  let meterOpen = false;
  let lastTenth = -1;
  const endMeter = (): void => {
    if (meterOpen) process.stderr.write('\n');
    meterOpen = false;
  };
  return {
    progress(message) {
      endMeter();
      process.stderr.write(dim(`· ${message}`) + '\n');
    },
    meter(label, done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      if (options.terminal) {
        const width = 30;
        const filled = Math.round(ratio * width);
        const columns = process.stderr.columns ?? 100;
        const line = `  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${label}`;
        process.stderr.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
        meterOpen = true;
        if (done >= total) endMeter();
        return;
      }
      // Without a terminal, a line per tenth keeps logs readable.
      const tenth = Math.floor(ratio * 10);
      if (tenth !== lastTenth || done >= total) process.stderr.write(dim(`· ${Math.round(ratio * 100)}% ${label}`) + '\n');
      lastTenth = tenth;
    },
    warn(message) {
      endMeter();
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
