import type { Row, Value } from '../core/types.js';
import { parseColumnList } from '../ops/identifiers.js';
import type { RowChange, TableDiff } from '../ops/tableDiff.js';
import { diffVersions } from '../ops/tableDiff.js';
import { displayName } from '../ops/tableRef.js';
import { latestVersion, resolveVersion, versionPoint } from '../ops/versions.js';
import type { Command, CommandData } from './command.js';
import { TABLE_ARGUMENT, columnsNamed, openTableState, stringOption, numberOption } from './deltaTable.js';

function keyText(key: Record<string, Value>): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}=${v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/** One change as JSON: updates carry only the columns that changed, old → new. */
function changeRecord(change: RowChange): Value {
  if (change.change === 'update') {
    const columns = Object.fromEntries(change.changed.map((c) => [c, { old: change.before![c] ?? null, new: change.after![c] ?? null }]));
    return { change: 'update', key: change.key, columns };
  }
  return { change: change.change, key: change.key, row: change.change === 'insert' ? change.after : change.before };
}

/** `--rows`: one line per inserted or deleted row and per changed column of an updated row. */
function changeLines(diff: TableDiff): Row[] {
  return diff.changes.flatMap((c): Row[] =>
    c.change === 'update' ? c.changed.map((column) => ['update', keyText(c.key), column, c.before![column] ?? null, c.after![column] ?? null]) : [[c.change, keyText(c.key), null, null, null]],
  );
}

export function diffSummary(diff: TableDiff, tableName: string): Record<string, Value> {
  return {
    table: tableName,
    from_version: diff.fromVersion,
    to_version: diff.toVersion,
    method: diff.method,
    key: diff.key.length > 0 ? diff.key.join(', ') : '(whole row)',
    key_source: diff.keySource,
    inserted: diff.inserted,
    deleted: diff.deleted,
    updated: diff.updated,
    ...(diff.columnsAdded.length > 0 ? { columns_added: diff.columnsAdded.join(', ') } : {}),
    ...(diff.columnsDropped.length > 0 ? { columns_dropped: diff.columnsDropped.join(', ') } : {}),
  };
}

/** `lhctl diff`: rows inserted, deleted and updated between two versions, keyed on the natural key. */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'Rows inserted, deleted and updated between two versions (changed columns old → new)',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    from: { type: 'string', required: true, description: 'Older side: a version, a timestamp or an age (2h)', valueName: '<V|T|2h>' },
    to: { type: 'string', description: 'Newer side (default: the latest version)', valueName: '<V|T|2h>' },
    key: { type: 'string', description: "Key columns (default: the table's natural key)", valueName: '<a,b>' },
    method: { type: 'enum', values: ['auto', 'cdf', 'snapshot'], description: 'auto (default), cdf or snapshot', valueName: '<method>' },
    show: { type: 'number', integer: true, min: 0, description: 'List at most N changed rows (default 100); counts cover all', valueName: '<N>' },
    rows: { type: 'boolean', description: 'Print one line per change (change, key, column, old, new) instead of the summary' },
  },
  examples: ['lhctl diff gold.dim_customer --from 3 --to 5', 'lhctl diff fact_sales --from 2h --output json', 'lhctl diff silver.orders --from 7 --key order_id --rows'],
  async run(ctx, args) {
    const fromText = stringOption(args, 'from')!;
    const toText = stringOption(args, 'to');
    const method = (stringOption(args, 'method') ?? 'auto') as 'auto' | 'cdf' | 'snapshot';
    const keyText = stringOption(args, 'key');
    const key = keyText === undefined ? undefined : parseColumnList(keyText, 'key column');
    const maxChanges = numberOption(args, 'show') ?? 100;
    const { engine, ref, state } = await openTableState(ctx, args);
    const fromVersion = resolveVersion(ref, state.history, versionPoint(fromText, '--from'), state.retention);
    const toVersion = toText === undefined ? latestVersion(state.history) : resolveVersion(ref, state.history, versionPoint(toText, '--to'), state.retention);
    ctx.ui.progress(`comparing ${displayName(ref)} version ${fromVersion} → ${toVersion}`);
    const diff = await diffVersions(engine, state, { fromVersion, toVersion, method, maxChanges, ...(key ? { key } : {}) }, { signal: ctx.signal });
    const summary = diffSummary(diff, displayName(ref));
    const shown = diff.inserted + diff.deleted + diff.updated;
    if (shown > diff.changes.length) ctx.ui.warn(`listing ${diff.changes.length} of ${shown} changed rows; use --show N for more`);
    let data: CommandData;
    if (args.options['rows'] === true) {
      data = {
        kind: 'table',
        title: Object.entries(summary)
          .map(([k, v]) => `${k}: ${String(v)}`)
          .join(' · '),
        columns: columnsNamed(['change', 'key', 'column', 'old', 'new']),
        rows: changeLines(diff),
      };
    } else {
      // The record keeps one JSON document for scripts; in a terminal the change list reads better flat.
      if (diff.changes.length > 0) ctx.ui.progress('--rows lists one line per change; --output json gives every change in full');
      data = { kind: 'record', title: `diff of ${displayName(ref)}`, data: { ...summary, changes: diff.changes.map(changeRecord) } };
    }
    return { data };
  },
};
