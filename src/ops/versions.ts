import { QueryError, UsageError } from '../core/errors.js';
import { parseDuration } from './durations.js';
import type { HistoryEntry } from './history.js';
import { formatDuration } from './durations.js';
import { describeRetention, reachability, type Retention } from './retention.js';
import { displayName, type TableRef } from './tableRef.js';

/** A point in a table's history as the operator names it. */
export type VersionPoint = { kind: 'version'; version: number } | { kind: 'timestamp'; at: Date; text: string } | { kind: 'ago'; ms: number; text: string };

export function versionPoint(text: string, flag: string): VersionPoint {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { kind: 'version', version: Number(trimmed) };
  if (/^\d+(\.\d+)?\s*[a-z]+$/i.test(trimmed)) return { kind: 'ago', ms: parseDuration(trimmed, flag), text: trimmed };
  // Times without a zone are UTC, as the engines' session time zone is.
  const iso = trimmed.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
  const at = new Date(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso) ? `${iso}Z` : /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(`cannot read ${flag} "${text}"`, { hint: `Give a version (${flag} 12), a timestamp (${flag} 2026-11-25T10:00:00Z) or an age (${flag} 2h).` });
  }
  return { kind: 'timestamp', at, text: trimmed };
}

/** Exactly one of --version, --timestamp, --ago. */
export function versionPointOf(options: Record<string, unknown>): VersionPoint {
  const given = (['version', 'timestamp', 'ago'] as const).filter((flag) => typeof options[flag] === 'string');
  if (given.length !== 1) throw new UsageError('give exactly one of --version N, --timestamp T or --ago 2h');
  const flag = given[0]!;
  const text = options[flag] as string;
  const point = versionPoint(text, `--${flag}`);
  if (flag === 'version' && point.kind !== 'version') throw new UsageError(`--version must be a whole number (got "${text}")`);
  if (flag === 'ago' && point.kind !== 'ago') throw new UsageError(`--ago must be an age such as 2h or 30m (got "${text}")`);
  if (flag === 'timestamp' && point.kind === 'version') return { kind: 'timestamp', at: new Date(text), text };
  return point;
}

function historyError(ref: TableRef, message: string, hint: string, parameters: Record<string, string>): QueryError {
  return new QueryError(message, { kind: 'analysis', hint, parameters: { table: displayName(ref), ...parameters } });
}

/**
 * The version a point names, checked against the history: a version past the last one lists the
 * versions there are; a time before the table existed gives its creation time; a version whose
 * files VACUUM may have removed names the retention and the oldest version still readable.
 */
export function resolveVersion(ref: TableRef, history: readonly HistoryEntry[], point: VersionPoint, retention: Retention, now: Date = new Date()): number {
  const oldestFirst = [...history].sort((a, b) => a.version - b.version);
  const first = oldestFirst[0];
  const last = oldestFirst[oldestFirst.length - 1];
  if (!first || !last) throw historyError(ref, `${displayName(ref)} has no history`, 'Is it a Delta table?', {});
  const name = displayName(ref);
  const range = first.version === last.version ? `only version ${last.version} exists` : `versions ${first.version} to ${last.version} exist`;
  let version: number;
  if (point.kind === 'version') {
    if (point.version > last.version || point.version < first.version) {
      throw historyError(ref, `version ${point.version} is not in the history of ${name}: ${range}`, `See \`lhctl history ${name}\`.`, {
        requested: String(point.version),
        earliest: String(first.version),
        latest: String(last.version),
      });
    }
    version = point.version;
  } else {
    const at = point.kind === 'ago' ? now.getTime() - point.ms : point.at.getTime();
    const atText = new Date(at).toISOString();
    if (at < Date.parse(first.timestamp)) {
      const created = first.version === 0 ? `it was created at ${first.timestamp}` : `its oldest commit still in the log is version ${first.version} at ${first.timestamp}`;
      throw historyError(ref, `${name} did not exist yet at ${atText}: ${created}`, `Use a time after ${first.timestamp}, or see \`lhctl history ${name}\`.`, {
        requested: atText,
        created: first.timestamp,
        earliest: String(first.version),
      });
    }
    version = [...oldestFirst].reverse().find((e) => Date.parse(e.timestamp) <= at)!.version;
  }
  const { oldest, limitedBy, vacuum } = reachability(history, retention, now);
  if (version < oldest) {
    const why =
      limitedBy === 'vacuum' && vacuum
        ? `it was vacuumed: the VACUUM at ${vacuum.endedAt} with a retention of ${formatDuration(vacuum.retentionMs ?? 0)} deleted its data files`
        : `it is older than the VACUUM retention, ${describeRetention(retention)}, so its files may already be vacuumed`;
    throw historyError(ref, `version ${version} of ${name} can no longer be read: ${why}; the oldest readable version is ${oldest}`, `Choose version ${oldest} or later (\`lhctl history ${name}\`).`, {
      requested: String(version),
      oldestReachable: String(oldest),
      retention: retention.deletedFileText,
    });
  }
  return version;
}

export function latestVersion(history: readonly HistoryEntry[]): number {
  return Math.max(...history.map((e) => e.version));
}
