import { parseColumnList } from '../ops/identifiers.js';
import { timeTravelSql } from '../ops/statements.js';
import { displayName } from '../ops/tableRef.js';
import { resolveVersion, versionPointOf } from '../ops/versions.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, openTableState, stringOption, numberOption } from './deltaTable.js';

/** `lhctl time-travel`: a table's rows as they were at a version, a time or an age. */
export const timeTravelCommand: Command = {
  name: 'time-travel',
  aliases: ['tt'],
  summary: 'Show a table as it was at a version, a timestamp or some time ago',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    version: { type: 'string', description: 'The version to read', valueName: '<N>' },
    timestamp: { type: 'string', description: 'The table as of this time (ISO-8601)', valueName: '<T>' },
    ago: { type: 'string', description: 'The table as it was this long ago', valueName: '<2h|30m|1d>' },
    where: { type: 'string', description: 'Only rows matching this SQL predicate', valueName: '<predicate>' },
    columns: { type: 'string', description: 'Only these columns (comma-separated)', valueName: '<a,b>' },
    limit: { type: 'number', integer: true, min: 0, description: 'At most N rows', valueName: '<N>' },
  },
  examples: ['lhctl time-travel gold.dim_customer --version 3 --where "customer_id = 42"', 'lhctl tt fact_sales --ago 2h --columns transaction_id,store_key,amount --limit 20'],
  async run(ctx, args) {
    const point = versionPointOf(args.options);
    const columnsText = stringOption(args, 'columns');
    const columns = columnsText === undefined ? undefined : parseColumnList(columnsText);
    const where = stringOption(args, 'where');
    const limit = numberOption(args, 'limit');
    const { engine, ref, state } = await openTableState(ctx, args);
    const version = resolveVersion(ref, state.history, point, state.retention);
    const sql = timeTravelSql(ref, version, { ...(columns ? { columns } : {}), ...(where !== undefined ? { where } : {}), ...(limit !== undefined ? { limit } : {}) });
    const result = await engine.execute(sql, { signal: ctx.signal });
    const at = state.history.find((e) => e.version === version)!;
    return { data: { kind: 'table', title: `${displayName(ref)} at version ${version} (${at.timestamp}, ${at.operation})`, columns: result.columns, rows: result } };
  },
};
