import { QueryError, UsageError } from '../core/errors.js';
import type { Value } from '../core/types.js';
import { executeStatement, queryRecords, queryRows, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { readHistory } from './history.js';
import { bundledLineage, downstreamTables } from './lineage.js';
import { describeRetention, oldestReachableVersion } from './retention.js';
import { checksumSql, restoreSql, versionColumnsSql } from './statements.js';
import { diffVersions, type TableDiff } from './tableDiff.js';
import type { TableState } from './tableDetail.js';
import { displayName } from './tableRef.js';
import { latestVersion, resolveVersion, type VersionPoint } from './versions.js';

/** What an operator sees before confirming a restore. */
export interface RestorePreview {
  state: TableState;
  currentVersion: number;
  targetVersion: number;
  targetTimestamp: string;
  /** What the restore changes: current version → target version. */
  diff: TableDiff;
  /** `layer.table` names that read this table and stay stale until the pipeline runs again. */
  downstream: string[];
  oldestReachable: number;
  retention: string;
  sql: string;
}

export async function previewRestore(engine: SqlEngine, state: TableState, point: VersionPoint, options: ExecuteOptions = {}): Promise<RestorePreview> {
  // Throws, naming the retention, when the target's files may already be vacuumed.
  const targetVersion = resolveVersion(state.ref, state.history, point, state.retention);
  const currentVersion = latestVersion(state.history);
  if (targetVersion === currentVersion) {
    throw new UsageError(`${displayName(state.ref)} is at version ${currentVersion} already: nothing to restore`, { hint: `See \`lhctl history ${displayName(state.ref)}\` for earlier versions.` });
  }
  const diff = await diffVersions(engine, state, { fromVersion: currentVersion, toVersion: targetVersion, maxChanges: 10 }, options);
  const downstream = state.ref.layer ? downstreamTables(bundledLineage(), state.ref.layer, state.ref.table) : [];
  return {
    state,
    currentVersion,
    targetVersion,
    targetTimestamp: state.history.find((e) => e.version === targetVersion)!.timestamp,
    diff,
    downstream,
    oldestReachable: oldestReachableVersion(state.history, state.retention),
    retention: describeRetention(state.retention),
    sql: restoreSql(state.ref, targetVersion),
  };
}

export interface RestoreOutcome {
  newVersion: number;
  metrics: Record<string, string>;
  /** Row count and checksums of the new version equal those of the restored one. */
  contentMatches: boolean;
  rows: number;
}

async function checksum(engine: SqlEngine, preview: RestorePreview, version: number, columns: string[], options: ExecuteOptions): Promise<Record<string, Value>> {
  const [row] = await queryRecords(engine, checksumSql(preview.state.ref, version, columns), options);
  return row ?? {};
}

/**
 * Runs the RESTORE, then proves it: the new version's row count and row-hash checksums must equal
 * those of the version restored.
 */
export async function executeRestore(engine: SqlEngine, preview: RestorePreview, options: ExecuteOptions = {}): Promise<RestoreOutcome> {
  const { ref } = preview.state;
  await executeStatement(engine, preview.sql, options);
  const [head] = await readHistory(engine, ref, { ...options, limit: 1 });
  if (!head || head.operation !== 'RESTORE') {
    throw new QueryError(`RESTORE of ${displayName(ref)} did not show up as the latest commit`, {
      kind: 'execution',
      hint: `Check \`lhctl history ${displayName(ref)}\`: another writer may have committed at the same time.`,
    });
  }
  const { columns } = await queryRows(engine, versionColumnsSql(ref, preview.targetVersion), options);
  const names = columns.map((c) => c.name);
  const before = await checksum(engine, preview, preview.targetVersion, names, options);
  const after = await checksum(engine, preview, head.version, names, options);
  const same = (['row_count', 'xor_hash', 'sum_hash'] as const).every((k) => String(before[k]) === String(after[k]));
  return { newVersion: head.version, metrics: head.metrics, contentMatches: same, rows: Number(after['row_count'] ?? 0) };
}
