import { parseDeltaInterval } from './durations.js';
import type { HistoryEntry } from './history.js';

/** Delta's defaults when a table does not set them. */
export const DEFAULT_DELETED_FILE_RETENTION = 'interval 1 week';
export const DEFAULT_LOG_RETENTION = 'interval 30 days';

/** How long a table keeps what time travel needs, from its properties. */
export interface Retention {
  /** delta.deletedFileRetentionDuration: removed data files older than this may be vacuumed. */
  deletedFileMs: number;
  deletedFileText: string;
  /** delta.logRetentionDuration: how long commits stay in the log (DESCRIBE HISTORY). */
  logMs: number;
  logText: string;
  /** Whether deletedFileRetentionDuration is set on the table or is Delta's default. */
  fromTable: boolean;
}

export function retentionOf(properties: Record<string, string>): Retention {
  const deleted = properties['delta.deletedFileRetentionDuration'];
  const log = properties['delta.logRetentionDuration'];
  const deletedFileMs = (deleted !== undefined ? parseDeltaInterval(deleted) : undefined) ?? parseDeltaInterval(DEFAULT_DELETED_FILE_RETENTION)!;
  const logMs = (log !== undefined ? parseDeltaInterval(log) : undefined) ?? parseDeltaInterval(DEFAULT_LOG_RETENTION)!;
  return {
    deletedFileMs,
    deletedFileText: deleted ?? DEFAULT_DELETED_FILE_RETENTION,
    logMs,
    logText: log ?? DEFAULT_LOG_RETENTION,
    fromTable: deleted !== undefined,
  };
}

/** `delta.deletedFileRetentionDuration = interval 7 days`, as error messages name it. */
export function describeRetention(retention: Retention): string {
  const hours = `${retention.deletedFileMs / 3_600_000} hours`;
  return `delta.deletedFileRetentionDuration = ${retention.deletedFileText} (${retention.fromTable ? hours : `${hours}, Delta's default`})`;
}

/** The last VACUUM that completed, with the retention it ran with. */
export interface VacuumRun {
  endedAt: string;
  retentionMs: number | null;
}

export function lastVacuum(history: readonly HistoryEntry[]): VacuumRun | undefined {
  const newestFirst = [...history].sort((a, b) => b.version - a.version);
  const end = newestFirst.find((e) => e.operation === 'VACUUM END');
  if (!end) return undefined;
  const start = newestFirst.find((e) => e.operation === 'VACUUM START' && e.version < end.version);
  const specified = start?.parameters['specifiedRetentionMillis'] ?? start?.parameters['defaultRetentionMillis'];
  return { endedAt: end.timestamp, retentionMs: specified !== undefined && specified !== '' ? Number(specified) : null };
}

/** Whether a commit removed data files (so the version before it needs files a VACUUM may take). */
function removesFiles(entry: HistoryEntry): boolean {
  const removed = entry.metrics['numRemovedFiles'] ?? entry.metrics['numTargetFilesRemoved'];
  if (removed !== undefined) return Number(removed) > 0;
  return /REPLACE|RESTORE|OPTIMIZE|TRUNCATE/.test(entry.operation) || entry.parameters['mode'] === 'Overwrite';
}

/**
 * The oldest version time travel can still read. Delta refuses versions committed before
 * now − deletedFileRetentionDuration; and the last VACUUM deleted files removed before its run
 * time − its retention, which breaks every version older than the one current at that moment,
 * except those whose files no later commit removed. The latest version is always readable.
 */
export function oldestReachableVersion(history: readonly HistoryEntry[], retention: Retention, now: Date = new Date()): number {
  return reachability(history, retention, now).oldest;
}

export interface Reachability {
  oldest: number;
  /** What sets the limit: the retention window, or the files the last VACUUM deleted. */
  limitedBy: 'retention' | 'vacuum';
  vacuum: VacuumRun | undefined;
}

export function reachability(history: readonly HistoryEntry[], retention: Retention, now: Date = new Date()): Reachability {
  const oldestFirst = [...history].sort((a, b) => a.version - b.version);
  const vacuum = lastVacuum(history);
  if (oldestFirst.length === 0) return { oldest: 0, limitedBy: 'retention', vacuum };
  const latest = oldestFirst[oldestFirst.length - 1]!;
  const timeTravelCutoff = now.getTime() - retention.deletedFileMs;
  const byRetention = oldestFirst.find((e) => Date.parse(e.timestamp) >= timeTravelCutoff)?.version ?? latest.version;
  let byVacuum = -1;
  if (vacuum && vacuum.retentionMs !== null) {
    const fileCutoff = Date.parse(vacuum.endedAt) - vacuum.retentionMs;
    let index = oldestFirst.findLastIndex((e) => Date.parse(e.timestamp) <= fileCutoff);
    while (index > 0 && !removesFiles(oldestFirst[index]!)) index--;
    if (index >= 0) byVacuum = oldestFirst[index]!.version;
  }
  return byVacuum > byRetention ? { oldest: byVacuum, limitedBy: 'vacuum', vacuum } : { oldest: byRetention, limitedBy: 'retention', vacuum };
}
