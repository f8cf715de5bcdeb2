import { parseColumnList } from '../ops/identifiers.js';
import { optimizeTable } from '../ops/optimize.js';
import { displayName } from '../ops/tableRef.js';
import { requireWritable } from './arm.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, humanBytes, openTable, stringOption } from './deltaTable.js';

/** `lhctl optimize`: compaction (and Z-order) with the file count and size it achieved. */
export const optimizeCommand: Command = {
  name: 'optimize',
  summary: "Compact a table's small files, optionally Z-ordering them; shows files and bytes before/after",
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {
    zorder: { type: 'string', description: 'Co-locate rows by these columns (comma-separated)', valueName: '<a,b>' },
  },
  examples: ['lhctl optimize gold.fact_sales --zorder store_key,date_key', 'lhctl optimize silver.orders'],
  async run(ctx, args) {
    const zorderText = stringOption(args, 'zorder');
    const zorder = zorderText === undefined ? [] : parseColumnList(zorderText, '--zorder column');
    const { engine, ref } = await openTable(ctx, args);
    const name = displayName(ref);
    await requireWritable(ctx, `OPTIMIZE ${name}`);
    ctx.ui.progress(`optimizing ${name}${zorder.length ? ` (Z-order by ${zorder.join(', ')})` : ''}`);
    const outcome = await optimizeTable(engine, ref, zorder, { signal: ctx.signal });
    return {
      data: {
        kind: 'record',
        title: `optimized ${name}`,
        data: {
          table: name,
          zorder: outcome.zorder.length > 0 ? outcome.zorder.join(', ') : null,
          files_before: outcome.filesBefore,
          files_after: outcome.filesAfter,
          bytes_before: outcome.bytesBefore,
          bytes_after: outcome.bytesAfter,
          size: `${humanBytes(outcome.bytesBefore)} → ${humanBytes(outcome.bytesAfter)}`,
          files_added: outcome.filesAdded,
          files_removed: outcome.filesRemoved,
          duration_s: Number((outcome.durationMs / 1000).toFixed(2)),
          sql: outcome.sql,
        },
      },
    };
  },
};
