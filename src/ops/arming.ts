import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomicFile.js';
import { join } from 'node:path';

/**
 * Arming a protected env opens a write window: `<home>/armed/<env>` holds the ISO time it ends.
 * A file (not process state) so the window spans the console, the REPL and scripts alike.
 */
function armFile(home: string, env: string): string {
  return join(home, 'armed', env);
}

/** `:arm` in the console and `lhctl arm` without --for: short, so a forgotten window closes soon. */
export const DEFAULT_ARM_MINUTES = 10;
/** Bounds of a write window, so nobody arms prod for a week. */
export const MIN_ARM_MS = 60_000;
export const MAX_ARM_MS = 8 * 3_600_000;

/** When the env's write window closes, or undefined if it is not armed now. */
export function armedUntil(home: string, env: string, now: Date = new Date()): Date | undefined {
  let text: string;
  try {
    text = readFileSync(armFile(home, env), 'utf8').trim();
  } catch {
    return undefined;
  }
  const until = new Date(text);
  if (Number.isNaN(until.getTime()) || until <= now) return undefined;
  return until;
}

export function armEnv(home: string, env: string, durationMs: number, now: Date = new Date()): Date {
  const until = new Date(now.getTime() + durationMs);
  mkdirSync(join(home, 'armed'), { recursive: true, mode: 0o700 });
  writeFileAtomic(armFile(home, env), `${until.toISOString()}\n`, 0o600);
  return until;
}

/** Close the window; true when it was open. */
export function disarmEnv(home: string, env: string, now: Date = new Date()): boolean {
  const wasArmed = armedUntil(home, env, now) !== undefined;
  rmSync(armFile(home, env), { force: true });
  return wasArmed;
}
