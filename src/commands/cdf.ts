import { QueryError, UsageError } from '../core/errors.js';
import { cdfEnabledSince } from '../ops/cdfCoverage.js';
import { CHANGE_TYPES, tableChangesSql, type ChangeType } from '../ops/statements.js';
import { cdfEnabled } from '../ops/tableDetail.js';
import { displayName, qualifiedName } from '../ops/tableRef.js';
import { latestVersion, resolveVersion, versionPoint } from '../ops/versions.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, openTableState, stringOption } from './deltaTable.js';

function changeTypes(text: string | undefined): ChangeType[] {
  if (text === undefined) return [];
  return text.split(',').map((t) => {
    const type = t.trim().toLowerCase();
    if (!(CHANGE_TYPES as readonly string[]).includes(type)) throw new UsageError(`--change-type must be one of ${CHANGE_TYPES.join(', ')} (got "${t.trim()}")`);
    return type as ChangeType;
  });
}

/** `lhctl cdf`: the Change Data Feed rows of a version range. */
export const cdfCommand: Command = {
  name: 'cdf',
  summary: 'Change Data Feed of a table: inserted, updated (pre/post image) and deleted rows per version',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    from: { type: 'string', required: true, description: 'First version (or timestamp, or age) to read changes from', valueName: '<V|T|2h>' },
    to: { type: 'string', description: 'Last version (default: the latest)', valueName: '<V|T|2h>' },
    'change-type': { type: 'string', description: 'Only insert, update_preimage, update_postimage or delete (comma-separated)', valueName: '<type>' },
  },
  examples: ['lhctl cdf silver.customers --from 4', 'lhctl cdf gold.dim_customer --from 3 --to 5 --change-type update_postimage'],
  async run(ctx, args) {
    const fromText = stringOption(args, 'from')!;
    const types = changeTypes(stringOption(args, 'change-type'));
    const { engine, ref, state } = await openTableState(ctx, args);
    const name = displayName(ref);
    const since = cdfEnabledSince(state.history);
    if (!cdfEnabled(state.detail) || since === undefined) {
      throw new QueryError(`the Change Data Feed is off for ${name}`, {
        kind: 'analysis',
        hint: `Use \`lhctl diff ${name} --from …\` (it compares snapshots), or turn the feed on for future commits: ALTER TABLE ${qualifiedName(ref)} SET TBLPROPERTIES (delta.enableChangeDataFeed = true).`,
      });
    }
    const from = resolveVersion(ref, state.history, versionPoint(fromText, '--from'), state.retention);
    const toText = stringOption(args, 'to');
    const to = toText === undefined ? latestVersion(state.history) : resolveVersion(ref, state.history, versionPoint(toText, '--to'), state.retention);
    if (from > to) throw new UsageError(`--from (version ${from}) is after --to (version ${to})`);
    if (from < since) {
      throw new QueryError(`the Change Data Feed of ${name} starts at version ${since}; version ${from} has no change data`, {
        kind: 'analysis',
        parameters: { table: name, requested: String(from), cdfSince: String(since) },
        hint: `Use --from ${since} or later, or \`lhctl diff ${name} --from ${from}\` for a snapshot comparison.`,
      });
    }
    const result = await engine.execute(tableChangesSql(ref, from, to, types), { signal: ctx.signal });
    return { data: { kind: 'table', title: `changes of ${name}, versions ${from} to ${to}`, columns: result.columns, rows: result } };
  },
};
