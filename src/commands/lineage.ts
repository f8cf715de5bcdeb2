import type { Column, Row } from '../core/types.js';
import { bundledLineageEdges, lineageColumns, lineageTableName, lineageTree, workspaceLineageEdges, type LineageDirection } from '../ops/lineageTree.js';
import { envCan } from './capability.js';
import type { Command, CommandData } from './command.js';

const COLUMNS: Column[] = [
  { name: 'lineage', type: 'string', nullable: false },
  { name: 'object', type: 'string', nullable: false },
  { name: 'depth', type: 'int', nullable: false },
];

/** `lhctl lineage`: where a table (or its columns) comes from and what is computed from it, as trees. */
export const lineageCommand: Command = {
  name: 'lineage',
  summary: 'Upstream and downstream lineage of a table or its columns: from the bundled SQL, or Unity Catalog on Databricks',
  positionals: [{ name: 'table', description: 'gold.fact_sales, fact_sales or local_gold.fact_sales', required: true, complete: 'table' }],
  options: {
    upstream: { type: 'boolean', description: 'What the table is computed from (the default)' },
    downstream: { type: 'boolean', description: 'What is computed from the table' },
    columns: { type: 'boolean', description: 'Column-level lineage, one tree per column' },
    column: { type: 'string', description: 'Column-level lineage of one column', valueName: '<name>' },
  },
  examples: [
    'lhctl lineage gold.fact_sales',
    'lhctl lineage silver.customers --downstream',
    'lhctl lineage gold.fact_sales --column net_amount',
    'lhctl lineage gold.dim_customer --columns --downstream',
  ],
  async run(ctx, args) {
    const table = lineageTableName(ctx.profile, args.positionals[0] ?? '');
    const only = typeof args.options['column'] === 'string' ? args.options['column'] : undefined;
    const byColumn = args.options['columns'] === true || only !== undefined;
    const directions: LineageDirection[] = [
      ...(args.options['upstream'] === true || args.options['downstream'] !== true ? (['upstream'] as const) : []),
      ...(args.options['downstream'] === true ? (['downstream'] as const) : []),
    ];
    // Unity Catalog records lineage as jobs and queries run; elsewhere it is read from the bundled SQL.
    const recorded = envCan(ctx.profile, 'unityCatalog');
    const edges = recorded ? await workspaceLineageEdges(await ctx.engine(), ctx.profile, byColumn, { signal: ctx.signal }) : bundledLineageEdges(byColumn);
    const roots = byColumn ? lineageColumns(table, only).map((c) => `${table}.${c}`) : [table];
    const source = recorded ? `system.access.${byColumn ? 'column' : 'table'}_lineage of env ${ctx.profile.name}` : 'the bundled SQL';
    const results: CommandData[] = directions.map((direction) => {
      const rows: Row[] = roots.flatMap((root) => lineageTree(edges, root, direction).map((l) => [l.tree, l.object, l.depth]));
      return { kind: 'table', title: `${direction} lineage of ${table}${byColumn ? ' by column' : ''} (${source})`, columns: COLUMNS, rows };
    });
    return { data: results.length === 1 ? results[0]! : { kind: 'multi', results } };
  },
};
