import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MAX_ENTRIES = 1000;

function historyFile(home: string, env: string): string {
  return join(home, 'history', env);
}

/**
 * What an operator typed in one env, oldest first, kept across sessions in `<home>/history/<env>`.
 * One JSON string per line so multi-line statements survive intact.
 */
export class InputHistory {
  private entries: string[];

  constructor(
    private readonly home: string,
    readonly env: string,
  ) {
    this.entries = InputHistory.read(home, env);
  }

  static read(home: string, env: string): string[] {
    let text: string;
    try {
      text = readFileSync(historyFile(home, env), 'utf8');
    } catch {
      return [];
    }
    const entries: string[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value === 'string') entries.push(value);
      } catch {
        entries.push(line);
      }
    }
    return entries.slice(-MAX_ENTRIES);
  }

  get all(): readonly string[] {
    return this.entries;
  }

  add(entry: string): void {
    const text = entry.trim();
    if (!text || this.entries[this.entries.length - 1] === text) return;
    this.entries.push(text);
    try {
      mkdirSync(join(this.home, 'history'), { recursive: true, mode: 0o700 });
      if (this.entries.length > MAX_ENTRIES * 1.5) {
        this.entries = this.entries.slice(-MAX_ENTRIES);
        writeFileSync(historyFile(this.home, this.env), this.entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
      } else {
        appendFileSync(historyFile(this.home, this.env), JSON.stringify(text) + '\n', { mode: 0o600 });
      }
    } catch {
      // history is a convenience; a read-only home must not break the console
    }
  }
}
