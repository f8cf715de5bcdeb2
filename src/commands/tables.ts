import type { Row } from '../core/types.js';
import { queryRecords } from '../engines/engine.js';
import { readHistory } from '../ops/history.js';
import { countRowsSql } from '../ops/statements.js';
import { layerTables } from '../ops/tableCatalog.js';
import { cdfEnabled, readDetail } from '../ops/tableDetail.js';
import { writeTableNames } from '../ops/tableNameCache.js';
import { displayName } from '../ops/tableRef.js';
import { LAYERS, type Layer } from '../profiles/profile.js';
import type { Command } from './command.js';
import { columnsNamed, humanBytes, stringOption } from './deltaTable.js';

const COLUMNS = ['table', 'layer', 'rows', 'size', 'size_bytes', 'files', 'last_change', 'last_operation', 'cdf', 'clustering'];

/** The columns data is laid out by: liquid clustering, partitions, or the last ZORDER BY. */
function clusteringOf(clustering: string[], partitions: string[], lastZorder: string | undefined): string | null {
  if (clustering.length > 0) return `cluster by ${clustering.join(', ')}`;
  if (partitions.length > 0) return `partitioned by ${partitions.join(', ')}`;
  if (lastZorder) return `z-order by ${lastZorder}`;
  return null;
}

function zorderOf(parameters: Record<string, string>): string | undefined {
  try {
    const columns = JSON.parse(parameters['zOrderBy'] ?? '[]') as string[];
    return columns.length > 0 ? columns.join(', ') : undefined;
  } catch {
    return undefined;
  }
}

/** `lhctl tables`: the medallion tables of an env with their size, layout and last change. */
export const tablesCommand: Command = {
  name: 'tables',
  summary: "Tables of the env's medallion layers: rows, size, files, last change, CDF, clustering",
  positionals: [],
  options: {
    layer: { type: 'enum', values: LAYERS, description: 'Only bronze, silver or gold', valueName: '<layer>' },
  },
  examples: ['lhctl tables', 'lhctl tables --layer gold --output json'],
  async run(ctx, args) {
    const layerText = stringOption(args, 'layer');
    const layers: readonly Layer[] = layerText === undefined ? LAYERS : [layerText as Layer];
    const engine = await ctx.engine();
    const options = { signal: ctx.signal };
    const refs = await layerTables(engine, ctx.profile, layers, options);
    // Shell completion offers these names without starting an engine (only a full listing replaces the cache).
    if (layerText === undefined) writeTableNames(ctx.settings.home, ctx.profile.name, refs.map(displayName));
    const profile = ctx.profile;
    async function* rows(): AsyncGenerator<Row[]> {
      for (const ref of refs) {
        const detail = await readDetail(engine, ref, options);
        const history = await readHistory(engine, ref, { ...options, limit: 50 });
        const [count] = await queryRecords(engine, countRowsSql(ref), options);
        const lastOptimize = history.find((e) => e.operation === 'OPTIMIZE');
        yield [
          [
            displayName(ref),
            ref.layer ?? null,
            count?.['row_count'] ?? null,
            humanBytes(detail.sizeInBytes),
            BigInt(detail.sizeInBytes),
            detail.numFiles,
            detail.lastModified,
            history[0]?.operation ?? null,
            cdfEnabled(detail) ? 'on' : 'off',
            clusteringOf(detail.clusteringColumns, detail.partitionColumns, lastOptimize ? zorderOf(lastOptimize.parameters) : undefined),
          ],
        ];
      }
    }
    if (refs.length === 0) {
      return { data: { kind: 'message', text: `no tables in ${layers.map((l) => profile.schemas[l]).join(', ')} (env ${profile.name}); run the pipeline first, e.g. \`lhctl demo\`` } };
    }
    return { data: { kind: 'table', title: `tables of env ${profile.name}`, columns: columnsNamed(COLUMNS, { rows: 'bigint', size_bytes: 'bigint', files: 'int' }), rows: rows() } };
  },
};
