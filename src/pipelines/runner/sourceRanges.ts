import { queryRecords, queryRows, type ExecuteOptions, type SqlEngine } from '../../engines/engine.js';
import type { Profile } from '../../profiles/profile.js';
import { stringLiteral } from '../../sql/index.js';
import { consumerOf, rangeVariables, sourceTable, watermarkTable, type SourceName } from '../../sql/watermarks.js';

/** What a task read of one source: versions `fromVersion`..`toVersion` (none when to < from), and how many rows. */
export interface SourceRead {
  source: SourceName;
  fromVersion: number;
  toVersion: number;
  rows: number;
}

/** The newest version of each source, from the Delta log (no data read). */
export async function latestVersions(engine: SqlEngine, profile: Profile, sqlName: string, sources: readonly SourceName[], options: ExecuteOptions): Promise<Record<SourceName, number>> {
  const file = `sql/${sqlName}.sql`;
  const entries = await Promise.all(
    sources.map(async (source) => {
      const [newest] = await queryRecords(engine, `DESCRIBE HISTORY ${sourceTable(profile, source, file)} LIMIT 1`, options);
      return [source, Number(newest?.['version'] ?? -1)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** The versions the task has processed of each source; empty before its first run (or before the table exists). */
export async function storedWatermarks(engine: SqlEngine, profile: Profile, sqlName: string, options: ExecuteOptions): Promise<Record<SourceName, number>> {
  try {
    const rows = await queryRecords(engine, `SELECT source, version FROM ${watermarkTable(profile)} WHERE consumer = ${stringLiteral(consumerOf(sqlName))}`, options);
    return Object.fromEntries(rows.map((r) => [String(r['source']), Number(r['version'])]));
  } catch {
    // No watermark table yet: the task has never run in this env, so it runs.
    return {};
  }
}

/** Why the task has nothing to do, or undefined when a source has moved since its watermark. */
export function upToDateReason(latest: Readonly<Record<SourceName, number>>, stored: Record<SourceName, number>): string | undefined {
  const sources = Object.keys(latest);
  if (sources.length === 0 || sources.some((s) => stored[s] === undefined || latest[s]! > stored[s]!)) return undefined;
  return `no new data: ${sources.map((s) => `${s} v${latest[s]}`).join(', ')} already read`;
}

/** The ranges the task's statements read, from the session variables its `{{watermarks_read}}` set. */
export async function readRanges(session: SqlEngine, sources: readonly SourceName[], options: ExecuteOptions): Promise<SourceRead[]> {
  const names = sources.map(rangeVariables);
  const { rows } = await queryRows(session, `SELECT ${names.map((v) => `${v.from}, ${v.to}, ${v.rows}`).join(', ')}`, options);
  const row = rows[0] ?? [];
  return sources.map((source, i) => ({
    source,
    fromVersion: Number(row[i * 3] ?? -1) + 1,
    toVersion: Number(row[i * 3 + 1] ?? -1),
    rows: Number(row[i * 3 + 2] ?? 0),
  }));
}
