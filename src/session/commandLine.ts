import { UsageError } from '../core/errors.js';

/**
 * Splits a console line into words the way a POSIX shell would for simple cases: whitespace
 * separates, '…' and "…" group (backslash escapes inside "…" and outside quotes).
 */
export function tokenize(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unclosed ${quote} in: ${line}`);
  if (inWord) words.push(current);
  return words;
}

/** A word as a shell would need it typed: bare when safe, otherwise single-quoted. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function hasEnvOption(argv: string[]): boolean {
  return argv.some((a) => a === '--env' || a === '-e' || a.startsWith('--env='));
}

/** The one-shot command a console action is equivalent to, e.g. `lhctl history gold.dim_customer --env qa`. */
export function equivalentCommand(name: string, argv: string[], env: string): string {
  const words = ['lhctl', name, ...argv.map(shellQuote)];
  if (!hasEnvOption(argv)) words.push('--env', shellQuote(env));
  return words.join(' ');
}

/** The env a line's own `--env` names, if any (it overrides the console's env for that line). */
export function envOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--env' || a === '-e') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--env=')) return a.slice('--env='.length);
  }
  return undefined;
}
