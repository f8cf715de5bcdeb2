import type { Row } from '../core/types.js';
import { queryRows } from '../engines/engine.js';
import { cdfEnabledSince } from '../ops/cdfCoverage.js';
import { describeRetention, oldestReachableVersion } from '../ops/retention.js';
import { describeTableSql } from '../ops/statements.js';
import { cdfEnabled } from '../ops/tableDetail.js';
import { displayName } from '../ops/tableRef.js';
import { latestVersion } from '../ops/versions.js';
import { naturalKeyOf } from '../ops/naturalKeys.js';
import { watermarksOn } from '../ops/watermarks.js';
import type { Command } from './command.js';
import { TABLE_ARGUMENT, columnsNamed, humanBytes, openTableState, tableTabView } from './deltaTable.js';

/** DESCRIBE TABLE lists the columns, then a blank or `#` line before partitioning details. */
function schemaRows(rows: Row[]): Row[] {
  const end = rows.findIndex((r) => String(r[0] ?? '').trim() === '' || String(r[0]).startsWith('#'));
  return (end === -1 ? rows : rows.slice(0, end)).map((r) => [r[0] ?? null, r[1] ?? null, r[2] ?? null]);
}

/** `lhctl describe`: schema, properties, DESCRIBE DETAIL and what time travel can reach. */
export const describeCommand: Command = {
  name: 'describe',
  summary: 'Schema, properties, Delta detail and retention settings of a table',
  needs: ['delta'],
  positionals: [TABLE_ARGUMENT],
  options: {},
  presentation: { view: tableTabView('schema') },
  examples: ['lhctl describe gold.dim_customer', 'lhctl describe fact_sales --output json'],
  async run(ctx, args) {
    const { engine, ref, state } = await openTableState(ctx, args);
    const { detail, history, retention } = state;
    const schema = await queryRows(engine, describeTableSql(ref), { signal: ctx.signal });
    const name = displayName(ref);
    const since = cdfEnabledSince(history);
    const key = naturalKeyOf(ref.layer, ref.table);
    const latest = latestVersion(history);
    const readers = await watermarksOn(engine, ctx.profile, ref, { signal: ctx.signal });
    return {
      data: {
        kind: 'multi',
        results: [
          {
            kind: 'record',
            title: name,
            data: {
              table: `${ref.catalog}.${ref.schema}.${ref.table}`,
              layer: ref.layer ?? null,
              location: detail.location,
              created: detail.createdAt,
              last_modified: detail.lastModified,
              latest_version: latest,
              files: detail.numFiles,
              size: humanBytes(detail.sizeInBytes),
              size_bytes: detail.sizeInBytes,
              partition_columns: detail.partitionColumns.join(', ') || null,
              clustering_columns: detail.clusteringColumns.join(', ') || null,
              natural_key: key ? key.join(', ') : null,
              change_data_feed: cdfEnabled(detail) ? `on${since !== undefined ? ` since version ${since}` : ''}` : 'off',
              table_features: detail.tableFeatures.join(', '),
              deleted_file_retention: describeRetention(retention),
              log_retention: retention.logText,
              oldest_readable_version: oldestReachableVersion(history, retention),
            },
          },
          { kind: 'table', title: 'schema', columns: columnsNamed(['column', 'type', 'comment']), rows: schemaRows(schema.rows) },
          {
            kind: 'table',
            title: 'properties',
            columns: columnsNamed(['property', 'value']),
            rows: Object.entries(detail.properties)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]) => [k, v]),
          },
          {
            kind: 'table',
            title: 'read incrementally by (pipeline watermarks)',
            columns: columnsNamed(['task_sql', 'read_through_version', 'versions_behind', 'updated_at'], { read_through_version: 'bigint', versions_behind: 'bigint' }),
            rows: readers.map((w) => [w.consumer, w.version, latest - w.version, w.updatedAt]),
          },
        ],
      },
    };
  },
};
