import { displayName } from '../ops/tableRef.js';
import { planVacuum, runVacuum, vacuumDryRun } from '../ops/vacuum.js';
import { describeRetention } from '../ops/retention.js';
import { requireWritable } from './arm.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, columnsNamed, openTableState, numberOption } from './deltaTable.js';

/** `lhctl vacuum`: delete unreferenced files, never inside the table's retention floor. */
export const vacuumCommand: Command = {
  name: 'vacuum',
  summary: 'Delete data files no version within the retention needs (--dry-run lists them)',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    retain: { type: 'duration', description: "Keep files removed within this window (default: the table's retention, 168h)", valueName: '<168h>' },
    'dry-run': { type: 'boolean', description: 'List the files that would be deleted; delete nothing' },
  },
  examples: ['lhctl vacuum gold.fact_sales --dry-run', 'lhctl vacuum gold.fact_sales --retain 240h'],
  async run(ctx, args) {
    const retainMs = numberOption(args, 'retain');
    const dryRun = args.options['dry-run'] === true;
    const { engine, ref, state } = await openTableState(ctx, args);
    const name = displayName(ref);
    const plan = planVacuum(state, retainMs, dryRun);
    const summary = { table: name, retain_hours: plan.retainHours, retention_floor: describeRetention(state.retention), sql: plan.sql };
    if (dryRun) {
      const files = await vacuumDryRun(engine, plan, { signal: ctx.signal });
      return {
        data: {
          kind: 'multi',
          results: [
            { kind: 'record', title: `VACUUM dry run of ${name} (nothing deleted)`, data: { ...summary, files_to_delete: files.length, oldest_readable_version_after: plan.oldestReachableAfter } },
            { kind: 'table', title: 'files that would be deleted', columns: columnsNamed(['path']), rows: files.map((f) => [f]) },
          ],
        },
      };
    }
    await requireWritable(ctx, { description: `VACUUM ${name} (retain ${plan.retainHours} hours)`, destructive: true, confirmText: ref.table });
    const outcome = await runVacuum(engine, plan, { signal: ctx.signal });
    return {
      data: { kind: 'record', title: `vacuumed ${name}`, data: { ...summary, files_deleted: outcome.filesDeleted, oldest_readable_version: outcome.oldestReachable } },
    };
  },
};
