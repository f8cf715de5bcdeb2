import { findCommand } from '../commands/index.js';
import { BUILTINS } from '../session/builtins.js';

export type LineKind = { kind: 'empty' } | { kind: 'quit' } | { kind: 'command'; line: string } | { kind: 'sql'; text: string; complete: boolean };

const QUIT = new Set(['quit', 'exit', '\\q']);

/**
 * What a REPL line is: `:anything` and lines that start with a command name are commands;
 * everything else is SQL, complete once it ends with `;` (so statements can span lines).
 */
export function classifyLine(line: string, pendingSql: string): LineKind {
  const trimmed = line.trim();
  if (pendingSql) {
    const text = `${pendingSql}\n${line}`;
    return { kind: 'sql', text, complete: trimmed.endsWith(';') };
  }
  if (!trimmed) return { kind: 'empty' };
  const body = trimmed.startsWith(':') ? trimmed.slice(1).trim() : trimmed;
  const first = body.split(/\s+/)[0] ?? '';
  if (QUIT.has(first) || trimmed === ':q') return { kind: 'quit' };
  if (trimmed.startsWith(':')) return { kind: 'command', line: body };
  if (!trimmed.endsWith(';') && (findCommand(first) || (BUILTINS as readonly string[]).includes(first))) return { kind: 'command', line: body };
  return { kind: 'sql', text: line, complete: trimmed.endsWith(';') };
}
