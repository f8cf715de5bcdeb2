import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';

/**
 * Arming a protected env opens a write window: `<home>/armed/<env>` holds the ISO time it ends.
 * A file (not process state) so the window spans the console, the REPL and scripts alike.
 */
function armFile(home: string, env: string): string {
  return join(home, 'armed', env);
}

/** `:arm` in the console and `lhctl arm` without --for: short, so a forgotten window closes soon. */
export const DEFAULT_ARM_MINUTES = 10;
const MAX_ARM_MINUTES = 8 * 60;

/** `30m`, `2h`, `90` (minutes) → milliseconds; bounded so nobody arms prod for a week. */
export function parseArmDuration(text: string): number {
  const match = /^(\d+)\s*(m|min|h)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`cannot read duration "${text}"`, { hint: 'Use minutes or hours, e.g. --for 30m or --for 2h.' });
  const minutes = Number(match[1]) * (match[2]?.toLowerCase() === 'h' ? 60 : 1);
  if (minutes < 1 || minutes > MAX_ARM_MINUTES) {
    throw new UsageError(`arming lasts between 1 minute and ${MAX_ARM_MINUTES / 60} hours (got ${text})`);
  }
  return minutes * 60_000;
}

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
  writeFileSync(armFile(home, env), `${until.toISOString()}\n`, { mode: 0o600 });
  return until;
}

/** Close the window; true when it was open. */
export function disarmEnv(home: string, env: string, now: Date = new Date()): boolean {
  const wasArmed = armedUntil(home, env, now) !== undefined;
  rmSync(armFile(home, env), { force: true });
  return wasArmed;
}
