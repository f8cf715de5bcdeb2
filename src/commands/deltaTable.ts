import { UsageError } from '../core/errors.js';
import type { Column } from '../core/types.js';
import type { SqlEngine } from '../engines/engine.js';
import { readTableState, type TableState } from '../ops/tableDetail.js';
import { resolveTable } from '../ops/tableCatalog.js';
import type { TableRef } from '../ops/tableRef.js';
import type { CommandContext, ParsedArgs, PositionalSpec, ViewHint } from './command.js';

/** The `<table>` positional every Delta operation takes. */
export const TABLE_ARGUMENT: PositionalSpec = {
  name: 'table',
  description: 'gold.dim_customer, dim_customer, local_gold.dim_customer or catalog.schema.table',
  required: true,
  complete: 'table',
};

export interface OpenedTable {
  engine: SqlEngine;
  ref: TableRef;
}

/** Opens the env's engine and resolves the table name the operator typed (with suggestions). */
export async function openTable(ctx: CommandContext, args: ParsedArgs): Promise<OpenedTable> {
  const name = args.positionals[0];
  if (!name) throw new UsageError('name a table', { hint: 'Example: gold.dim_customer' });
  const engine = await ctx.engine();
  const ref = await resolveTable(engine, ctx.profile, name, { signal: ctx.signal });
  return { engine, ref };
}

export async function openTableState(ctx: CommandContext, args: ParsedArgs): Promise<OpenedTable & { state: TableState }> {
  const opened = await openTable(ctx, args);
  return { ...opened, state: await readTableState(opened.engine, opened.ref, { signal: ctx.signal }) };
}

/** The console shows `history <table>` / `describe <table>`, typed bare, as a tab of the table's view. */
export function tableTabView(tab: 'history' | 'schema'): (args: ParsedArgs, typed: number) => ViewHint {
  return (args, typed) => (typed === 1 && args.positionals[0] ? { kind: 'table', table: args.positionals[0], tab } : { kind: 'result' });
}

/** A `number` or `duration` option, already checked against its spec by the parser; undefined when not given. */
export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const value = args.options[name];
  return typeof value === 'number' ? value : undefined;
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Bytes as an operator reads them: 1.4 MB. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Result columns of a table a command builds itself; `string` unless typed. */
export function columnsNamed(names: readonly string[], types: Record<string, string> = {}): Column[] {
  return names.map((name) => ({ name, type: types[name] ?? 'string', nullable: true }));
}
