import { commitCounts, readHistory, writtenBy } from '../ops/history.js';
import { displayName } from '../ops/tableRef.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, columnsNamed, openTable, tableTabView, numberOption } from './deltaTable.js';

const COLUMNS = ['version', 'timestamp', 'operation', 'rows_inserted', 'rows_updated', 'rows_deleted', 'files_added', 'files_removed', 'written_by'];

/** `lhctl history`: what changed a table, when, and which run or job wrote it. */
export const historyCommand: Command = {
  name: 'history',
  summary: 'Commits of a Delta table: version, time, operation, rows and files changed, who wrote it',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    limit: { type: 'number', integer: true, min: 1, description: 'Show the newest N commits (default 20)', valueName: '<N>' },
  },
  presentation: { view: tableTabView('history') },
  examples: ['lhctl history gold.dim_customer', 'lhctl history fact_sales --limit 5 --output json'],
  async run(ctx, args) {
    const { engine, ref } = await openTable(ctx, args);
    const limit = numberOption(args, 'limit') ?? 20;
    const history = await readHistory(engine, ref, { signal: ctx.signal, limit });
    const rows = history.map((entry) => {
      const counts = commitCounts(entry);
      return [entry.version, entry.timestamp, entry.operation, counts.rows_inserted, counts.rows_updated, counts.rows_deleted, counts.files_added, counts.files_removed, writtenBy(entry)];
    });
    const columns = columnsNamed(COLUMNS, { version: 'bigint', timestamp: 'timestamp' });
    return { data: { kind: 'table', title: `history of ${displayName(ref)} (newest first)`, columns, rows } };
  },
};
