import type { Row, Value } from '../../core/types.js';
import type { TableTab } from './consoleState.js';

export interface TabCommand {
  name: string;
  argv: string[];
}

export interface Versions {
  from: number | undefined;
  to: number | undefined;
}

/** `schema.table` as a quoted SQL identifier, for the few statements the console asks `sql` to run. */
export function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => `\`${part.replace(/`/g, '``')}\``)
    .join('.');
}

/**
 * The command behind each tab of the table view: the dedicated command when it is registered
 * (describe, history, tt, cdf, diff), otherwise the `sql` command, so every tab is an ordinary,
 * audited command either way. Data, CDF and diff read the versions picked on the history tab.
 */
export function tabCommand(tab: TableTab, table: string, versions: Versions, has: (name: string) => boolean): TabCommand | { unavailable: string } {
  const q = quoteTable(table);
  const { from, to } = versions;
  switch (tab) {
    case 'schema':
      return has('describe') ? { name: 'describe', argv: [table] } : { name: 'sql', argv: [`DESCRIBE TABLE ${q}`] };
    case 'history':
      return has('history') ? { name: 'history', argv: [table, '--limit', '100'] } : { name: 'sql', argv: [`DESCRIBE HISTORY ${q} LIMIT 100`] };
    case 'data':
      if (!has('tt')) return { name: 'sql', argv: [`SELECT * FROM ${q} LIMIT 200`] };
      return to === undefined ? { unavailable: 'reading the history…' } : { name: 'tt', argv: [table, '--version', String(to), '--limit', '200'] };
    case 'cdf':
    case 'diff': {
      if (from === undefined || to === undefined) return { unavailable: 'pick versions on the history tab (f = from, t = to)' };
      if (tab === 'cdf') {
        return has('cdf')
          ? { name: 'cdf', argv: [table, '--from', String(from), '--to', String(to)] }
          : { name: 'sql', argv: [`SELECT * FROM table_changes('${table.replace(/'/g, "''")}', ${from}, ${to}) ORDER BY _commit_version`] };
      }
      return has('diff') ? { name: 'diff', argv: [table, '--from', String(from), '--to', String(to), '--rows'] } : { unavailable: 'the diff command is not available in this build' };
    }
  }
}

/** The cache key of a tab's command: the command line itself. */
export function commandKey(command: TabCommand | { unavailable: string }): string | undefined {
  return 'unavailable' in command ? undefined : [command.name, ...command.argv].join(' ');
}

function numberOf(value: Value | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'bigint' ? Number(value) : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function metric(metrics: Value | undefined, name: string): number | undefined {
  if (metrics instanceof Map) return numberOf(metrics.get(name));
  if (metrics && typeof metrics === 'object' && !Array.isArray(metrics) && !(metrics instanceof Uint8Array)) return numberOf((metrics as Record<string, Value>)[name]);
  return undefined;
}

/** Rows a history entry wrote: inserted + updated + deleted (the history command), a `rows`-like column, or Delta's operationMetrics. */
export function rowsWritten(columns: readonly string[], row: Row): number | undefined {
  const counted = ['rows_inserted', 'rows_updated', 'rows_deleted'].map((name) => columns.indexOf(name)).filter((i) => i >= 0);
  if (counted.length > 0) {
    const values = counted.map((i) => numberOf(row[i]));
    return values.some((v) => v !== undefined) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;
  }
  const direct = columns.findIndex((c) => ['rows', 'rows_written', 'num_output_rows', 'numoutputrows'].includes(c.toLowerCase()));
  if (direct >= 0) return numberOf(row[direct]);
  const m = row[columns.findIndex((c) => c.toLowerCase() === 'operationmetrics' || c.toLowerCase() === 'metrics')];
  const out = metric(m, 'numOutputRows');
  if (out !== undefined) return out;
  const merged = ['numTargetRowsInserted', 'numTargetRowsUpdated', 'numTargetRowsDeleted'].map((k) => metric(m, k));
  return merged.some((v) => v !== undefined) ? merged.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;
}

/** Versions and rows written, oldest first, from a history result. */
export function historySeries(columns: readonly string[], rows: readonly Row[]): { version: number; rows: number | undefined }[] {
  const v = columns.findIndex((c) => c.toLowerCase() === 'version');
  if (v < 0) return [];
  return rows
    .map((row) => ({ version: numberOf(row[v]) ?? -1, rows: rowsWritten(columns, row) }))
    .filter((e) => e.version >= 0)
    .sort((a, b) => a.version - b.version);
}

/**
 * The cells of a diff row to highlight: old and new value of an updated column (`diff --rows`:
 * change, key, column, old, new), or the columns a `changed_columns` list names.
 */
export function changedColumnsOf(columns: readonly string[]): ((row: Row) => ReadonlySet<number>) | undefined {
  const change = columns.indexOf('change');
  const oldAt = columns.indexOf('old');
  const newAt = columns.indexOf('new');
  if (change >= 0 && oldAt >= 0 && newAt >= 0) return (row) => new Set(row[change] === 'update' ? [columns.indexOf('column'), oldAt, newAt] : []);
  const at = columns.findIndex((c) => ['changed_columns', 'changed'].includes(c.toLowerCase()));
  if (at < 0) return undefined;
  return (row) => {
    const value = row[at];
    const names = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/[,\s]+/) : [];
    return new Set(names.map((n) => columns.indexOf(n)).filter((i) => i >= 0));
  };
}
