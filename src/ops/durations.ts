import { UsageError } from '../core/errors.js';

const HOUR_MS = 3_600_000;
const UNIT_MS: Record<string, number> = {
  s: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: HOUR_MS,
  hour: HOUR_MS,
  d: 24 * HOUR_MS,
  day: 24 * HOUR_MS,
  w: 7 * 24 * HOUR_MS,
  week: 7 * 24 * HOUR_MS,
};

/**
 * The one duration grammar of every option: a number and a unit — `90s`, `10m`, `2h`, `7d`, `1w`
 * (or `minutes`, `hours`, …) → milliseconds. A bare number is read in `bareUnit` when the option
 * declares one (`--for 90` is minutes) and refused otherwise, since `--retain 90` could mean anything.
 */
export function parseDuration(text: string, flag: string, bareUnit?: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match?.[2] ? match[2].toLowerCase().replace(/(..)s$/, '$1') : bareUnit;
  const factor = unit === undefined ? undefined : UNIT_MS[unit];
  if (!match || factor === undefined) {
    throw new UsageError(match && !match[2] ? `${flag} "${text}" needs a unit` : `cannot read ${flag} "${text}"`, { hint: `Use a number and a unit: s, m, h or d, e.g. ${flag} 90s, 10m, 2h or 7d.` });
  }
  return Number(match[1]) * factor;
}

/**
 * A Delta interval property (`interval 7 days`, `interval 168 hours`, `7 days`) → milliseconds;
 * undefined when it cannot be read, so callers fall back to Delta's default.
 */
export function parseDeltaInterval(text: string): number | undefined {
  const body = text.trim().replace(/^interval\s+/i, '');
  let total = 0;
  let matched = false;
  for (const part of body.matchAll(/(\d+(?:\.\d+)?)\s*([a-z]+)/gi)) {
    const unit = part[2]!.toLowerCase().replace(/s$/, '');
    const factor = UNIT_MS[unit];
    if (factor === undefined) return undefined;
    total += Number(part[1]) * factor;
    matched = true;
  }
  return matched ? total : undefined;
}

/** Milliseconds as the largest whole unit: `168 hours` reads as `7 days`. */
export function formatDuration(ms: number): string {
  const day = 24 * HOUR_MS;
  if (ms >= day && ms % day === 0) return `${ms / day} day${ms === day ? '' : 's'}`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} hour${ms === HOUR_MS ? '' : 's'}`;
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  return `${ms / 1000} seconds`;
}

export function hoursOf(ms: number): number {
  return ms / HOUR_MS;
}
