import { mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomicFile.js';
import { join } from 'node:path';

/**
 * The env's table names as `lhctl tables` last saw them, for shell completion: completing a name
 * must answer in milliseconds, so it reads this file and never starts an engine.
 */
export function tableNameCacheFile(home: string, env: string): string {
  return join(home, 'cache', `tables-${env}.json`);
}

export function writeTableNames(home: string, env: string, names: readonly string[]): void {
  const file = tableNameCacheFile(home, env);
  try {
    mkdirSync(join(home, 'cache'), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ env, written: new Date().toISOString(), tables: names })}\n`);
  } catch {
    // A cache is a convenience: failing to write it never fails the listing.
  }
}

export function readTableNames(home: string, env: string): string[] {
  try {
    const cached = JSON.parse(readFileSync(tableNameCacheFile(home, env), 'utf8')) as { tables?: unknown };
    return Array.isArray(cached.tables) ? cached.tables.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
