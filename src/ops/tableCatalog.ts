import { QueryError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { queryRecords, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import { LAYERS, type Layer, type Profile } from '../profiles/profile.js';
import { showTablesSql } from './statements.js';
import { displayName, tableCandidates, type TableRef } from './tableRef.js';

/** Tables of one schema; a schema that does not exist yet simply has none. */
export async function schemaTables(engine: SqlEngine, catalog: string, schema: string, layer: Layer | undefined, options: ExecuteOptions = {}): Promise<TableRef[]> {
  try {
    const rows = await queryRecords(engine, showTablesSql(catalog, schema), options);
    return rows
      .filter((row) => row['isTemporary'] !== true)
      .map((row) => ({ catalog, schema, table: String(row['tableName']), layer }))
      .sort((a, b) => a.table.localeCompare(b.table));
  } catch (error) {
    if (error instanceof QueryError && (error.kind === 'schema-not-found' || error.kind === 'table-not-found')) return [];
    throw error;
  }
}

/** The tables of the profile's medallion schemas, bronze first. */
export async function layerTables(engine: SqlEngine, profile: Profile, layers: readonly Layer[] = LAYERS, options: ExecuteOptions = {}): Promise<TableRef[]> {
  const all: TableRef[] = [];
  for (const layer of layers) all.push(...(await schemaTables(engine, profile.catalog, profile.schemas[layer], layer, options)));
  return all;
}

function sameRef(a: TableRef, b: TableRef): boolean {
  return a.catalog.toLowerCase() === b.catalog.toLowerCase() && a.schema.toLowerCase() === b.schema.toLowerCase() && a.table.toLowerCase() === b.table.toLowerCase();
}

/**
 * Resolves a name the operator typed to the one existing table it means. A name found in no
 * schema gets the closest table names; a bare name found in several layers must be qualified.
 */
export async function resolveTable(engine: SqlEngine, profile: Profile, name: string, options: ExecuteOptions = {}): Promise<TableRef> {
  const candidates = tableCandidates(profile, name);
  const found: TableRef[] = [];
  const seen = new Map<string, TableRef[]>();
  for (const candidate of candidates) {
    const key = `${candidate.catalog}.${candidate.schema}`.toLowerCase();
    if (!seen.has(key)) seen.set(key, await schemaTables(engine, candidate.catalog, candidate.schema, candidate.layer, options));
    const match = seen.get(key)!.find((t) => sameRef(t, candidate));
    if (match) found.push(match);
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new QueryError(`table name "${name}" is ambiguous in env ${profile.name}: ${found.map(displayName).join(', ')}`, {
      kind: 'analysis',
      suggestions: found.map(displayName),
      hint: `Name the layer, e.g. ${found.map((t) => `${t.layer ?? t.schema}.${t.table}`).join(' or ')}.`,
    });
  }
  const known = [...seen.values()].flat();
  // A bare name already looked in every layer; a qualified one also gets the layers' names.
  const everywhere = candidates.length > 1 ? known : [...known, ...(await layerTables(engine, profile, LAYERS, options))];
  const names = [...new Set(everywhere.map(displayName))];
  const wanted = candidates.length > 1 ? name : displayName(candidates[0]!);
  const near = closestNames(wanted, names);
  throw new QueryError(
    `no table ${candidates.length > 1 ? `"${name}" in the ${profile.name} layers (${LAYERS.map((l) => profile.schemas[l]).join(', ')})` : `${displayName(candidates[0]!)} in env ${profile.name}`}`,
    {
      kind: 'table-not-found',
      suggestions: near,
      hint: near.length ? `Did you mean ${near.join(', ')}?` : `See \`lhctl tables --env ${profile.name}\` for the tables there are.`,
    },
  );
}
