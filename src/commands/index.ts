import type { Command } from './command.js';
import { engineCommand } from './engine.js';
import { sqlCommand } from './sql.js';

/** Every command, in the order `lhctl --help` lists them. The console, REPL and CLI share these. */
export const COMMANDS: readonly Command[] = [sqlCommand, engineCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function commandNames(): string[] {
  return COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}
