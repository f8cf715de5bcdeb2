import type { HistoryEntry } from './history.js';

const CDF_PROPERTY = 'delta.enableChangeDataFeed';
/** Commits after which table_changes cannot be trusted to line up with the snapshots. */
const SCHEMA_REWRITES = /^(CREATE OR REPLACE|REPLACE TABLE|ADD COLUMNS|CHANGE COLUMN|REPLACE COLUMNS|RENAME COLUMN|DROP COLUMNS)/;

function propertiesSet(entry: HistoryEntry): Record<string, string> {
  try {
    const parsed = JSON.parse(entry.parameters['properties'] ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/**
 * For each version, whether the Change Data Feed was on when it was committed, replayed from the
 * property changes in the history. Unknown (log truncated before the table was created) counts as off.
 */
export function cdfStateByVersion(history: readonly HistoryEntry[]): Map<number, boolean> {
  const state = new Map<number, boolean>();
  let on = false;
  for (const entry of [...history].sort((a, b) => a.version - b.version)) {
    if (/^CREATE|^REPLACE/.test(entry.operation)) on = propertiesSet(entry)[CDF_PROPERTY]?.toLowerCase() === 'true';
    else if (entry.operation === 'SET TBLPROPERTIES' && CDF_PROPERTY in propertiesSet(entry)) on = propertiesSet(entry)[CDF_PROPERTY]!.toLowerCase() === 'true';
    else if (entry.operation === 'UNSET TBLPROPERTIES' && (entry.parameters['propKeys'] ?? '').includes(CDF_PROPERTY)) on = false;
    state.set(entry.version, on);
  }
  return state;
}

/** The feed has every change of versions (from, to] and no schema rewrite sits between them. */
export function cdfCovers(history: readonly HistoryEntry[], fromVersion: number, toVersion: number): boolean {
  const state = cdfStateByVersion(history);
  for (let version = fromVersion + 1; version <= toVersion; version++) {
    if (state.get(version) !== true) return false;
    const entry = history.find((e) => e.version === version);
    if (entry && SCHEMA_REWRITES.test(entry.operation)) return false;
  }
  return true;
}

/** The first version from which the feed has been on without a break up to the latest, if any. */
export function cdfEnabledSince(history: readonly HistoryEntry[]): number | undefined {
  const state = [...cdfStateByVersion(history).entries()].sort((a, b) => b[0] - a[0]);
  let since: number | undefined;
  for (const [version, on] of state) {
    if (!on) break;
    since = version;
  }
  return since;
}
