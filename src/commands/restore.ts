import type { Value } from '../core/types.js';
import { executeRestore, previewRestore, type RestorePreview } from '../ops/restore.js';
import { displayName } from '../ops/tableRef.js';
import { versionPointOf } from '../ops/versions.js';
import { requireWritable } from './arm.js';
import type { Command, CommandContext } from './command.js';
import { TABLE_ARGUMENT, openTableState } from './deltaTable.js';
import { diffSummary } from './diff.js';

function previewRecord(preview: RestorePreview): Record<string, Value> {
  const name = displayName(preview.state.ref);
  const { inserted, deleted, updated, method, key } = diffSummary(preview.diff, name);
  return {
    table: name,
    current_version: preview.currentVersion,
    restore_to_version: preview.targetVersion,
    restore_to_time: preview.targetTimestamp,
    // Counted from the current version to the target: what the restore itself will do.
    rows_to_insert: inserted ?? 0,
    rows_to_delete: deleted ?? 0,
    rows_to_update: updated ?? 0,
    compared_by: `${String(method)} on ${String(key)}`,
    stale_downstream: preview.downstream.length > 0 ? preview.downstream.join(', ') : '(none in the SQL assets)',
    within_retention: `yes: oldest readable version is ${preview.oldestReachable} (${preview.retention})`,
    sql: preview.sql,
  };
}

function announce(ctx: CommandContext, preview: RestorePreview): void {
  const name = displayName(preview.state.ref);
  const d = preview.diff;
  ctx.ui.progress(`restore ${name}: version ${preview.currentVersion} → content of version ${preview.targetVersion} (${preview.targetTimestamp})`);
  ctx.ui.progress(`rows: ${d.inserted} to insert, ${d.deleted} to delete, ${d.updated} to update (${d.method}, key ${d.key.join(', ') || 'whole row'})`);
  ctx.ui.progress(`version ${preview.targetVersion} is within the VACUUM retention: oldest readable version is ${preview.oldestReachable}`);
  if (preview.downstream.length > 0) ctx.ui.warn(`stale until the pipeline runs again: ${preview.downstream.join(', ')}`);
}

/** `lhctl restore`: guarded RESTORE — preview, typed confirmation, then a checked restore. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a table to an earlier version, after a preview and a typed confirmation',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    version: { type: 'string', description: 'The version to restore', valueName: '<N>' },
    timestamp: { type: 'string', description: 'Restore the version current at this time', valueName: '<T>' },
    ago: { type: 'string', description: 'Restore the version current this long ago', valueName: '<2h>' },
    preview: { type: 'boolean', description: 'Only show what the restore would change; restore nothing' },
  },
  examples: ['lhctl restore gold.dim_customer --version 3 --preview', 'lhctl restore gold.dim_customer --version 3', 'lhctl restore fact_sales --ago 2h --yes'],
  async run(ctx, args) {
    const point = versionPointOf(args.options);
    const { engine, ref, state } = await openTableState(ctx, args);
    const name = displayName(ref);
    const preview = await previewRestore(engine, state, point, { signal: ctx.signal });
    if (args.options['preview'] === true) return { data: { kind: 'record', title: `restore preview of ${name} (nothing changed)`, data: previewRecord(preview) } };
    announce(ctx, preview);
    const d = preview.diff;
    await requireWritable(ctx, {
      description: `RESTORE ${name} to version ${preview.targetVersion} (${d.inserted} rows back in, ${d.deleted} out, ${d.updated} changed${preview.downstream.length ? `; stale: ${preview.downstream.join(', ')}` : ''})`,
      destructive: true,
      confirmText: ref.table,
    });
    const outcome = await executeRestore(engine, preview, { signal: ctx.signal });
    return {
      data: {
        kind: 'record',
        title: `restored ${name}`,
        data: {
          ...previewRecord(preview),
          new_version: outcome.newVersion,
          rows: outcome.rows,
          content_equals_restored_version: outcome.contentMatches,
          files_restored: outcome.metrics['numRestoredFiles'] ?? null,
          files_removed: outcome.metrics['numRemovedFiles'] ?? null,
        },
      },
      exitCode: outcome.contentMatches ? 0 : 1,
    };
  },
};
