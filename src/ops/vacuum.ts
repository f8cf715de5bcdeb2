import { SafetyError } from '../core/errors.js';
import { queryRows, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { formatDuration, hoursOf } from './durations.js';
import { readHistory } from './history.js';
import { describeRetention, oldestReachableVersion } from './retention.js';
import { vacuumSql } from './statements.js';
import type { TableState } from './tableDetail.js';
import { displayName } from './tableRef.js';

/** A VACUUM checked against the table's retention floor before anything is sent. */
export interface VacuumPlan {
  state: TableState;
  retainMs: number;
  retainHours: number;
  /** The oldest version time travel can still read once the VACUUM has run. */
  oldestReachableAfter: number;
  sql: string;
}

/**
 * Refuses a retention below the table's delta.deletedFileRetentionDuration: files removed more
 * recently than that may still be read by running queries and by time travel inside the window.
 */
export function planVacuum(state: TableState, retainMs: number | undefined, dryRun: boolean): VacuumPlan {
  const floor = state.retention.deletedFileMs;
  const retain = retainMs ?? floor;
  const name = displayName(state.ref);
  if (retain < floor) {
    throw new SafetyError(
      `refused: a retention of ${formatDuration(retain)} is below the retention floor of ${name}, ${describeRetention(state.retention)}; ` +
        'files removed inside that window can still be needed by running readers and by time travel, and a VACUUM would make those versions unreadable',
      { hint: `Use --retain ${hoursOf(floor)}h or more. To shorten the window on purpose, change delta.deletedFileRetentionDuration on the table first.` },
    );
  }
  const hours = hoursOf(retain);
  return {
    state,
    retainMs: retain,
    retainHours: hours,
    // Delta already refuses time travel past the floor, and retain >= floor: the VACUUM itself
    // moves the oldest readable version no further back than the floor does.
    oldestReachableAfter: oldestReachableVersion(state.history, state.retention),
    sql: vacuumSql(state.ref, Number(hours.toFixed(6)), dryRun),
  };
}

/** The files a VACUUM would delete; nothing is deleted. */
export async function vacuumDryRun(engine: SqlEngine, plan: VacuumPlan, options: ExecuteOptions = {}): Promise<string[]> {
  const { rows } = await queryRows(engine, plan.sql, options);
  return rows.map((row) => String(row[0]));
}

export interface VacuumOutcome {
  filesDeleted: number | null;
  oldestReachable: number;
}

export async function runVacuum(engine: SqlEngine, plan: VacuumPlan, options: ExecuteOptions = {}): Promise<VacuumOutcome> {
  await queryRows(engine, plan.sql, options);
  const history = await readHistory(engine, plan.state.ref, options);
  const end = history.find((e) => e.operation === 'VACUUM END');
  const deleted = end?.metrics['numDeletedFiles'];
  return { filesDeleted: deleted === undefined ? null : Number(deleted), oldestReachable: oldestReachableVersion(history, plan.state.retention) };
}
