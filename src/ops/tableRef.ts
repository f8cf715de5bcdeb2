import { UsageError } from '../core/errors.js';
import { LAYERS, type Layer, type Profile } from '../profiles/profile.js';
import { quoteIdentifier, validateIdentifier } from './identifiers.js';

/** A fully resolved Delta table: three validated parts and the medallion layer it lives in. */
export interface TableRef {
  catalog: string;
  schema: string;
  table: string;
  /** The layer whose schema holds the table, when it is one of the profile's. */
  layer: Layer | undefined;
}

/** `` `catalog`.`schema`.`table` `` — the only form ops splice into SQL. */
export function qualifiedName(ref: TableRef): string {
  return [ref.catalog, ref.schema, ref.table].map(quoteIdentifier).join('.');
}

/** `local_gold.dim_customer`: how tables are named to the operator. */
export function displayName(ref: TableRef): string {
  return `${ref.schema}.${ref.table}`;
}

function layerOfSchema(profile: Profile, schema: string): Layer | undefined {
  return LAYERS.find((layer) => profile.schemas[layer].toLowerCase() === schema.toLowerCase());
}

function isLayer(text: string): text is Layer {
  return (LAYERS as readonly string[]).includes(text.toLowerCase());
}

/**
 * The tables a name can mean under a profile, without asking the engine:
 * `dim_customer` → one candidate per layer (gold first, where operators look most);
 * `gold.dim_customer` → the profile's gold schema; `local_gold.x` → that schema in the profile's
 * catalog; `catalog.schema.table` → as given.
 */
export function tableCandidates(profile: Profile, name: string): TableRef[] {
  const parts = name.trim().split('.');
  if (parts.some((p) => p.length === 0) || parts.length > 3) {
    throw new UsageError(`cannot read table name "${name}"`, { hint: 'Use table, layer.table, schema.table or catalog.schema.table, e.g. gold.dim_customer.' });
  }
  parts.forEach((part) => validateIdentifier(part, 'table name part'));
  const [first, second, third] = parts as [string, string?, string?];
  if (third !== undefined) {
    return [{ catalog: first, schema: second!, table: third, layer: layerOfSchema(profile, second!) }];
  }
  if (second !== undefined) {
    if (isLayer(first)) {
      const layer = first.toLowerCase() as Layer;
      return [{ catalog: profile.catalog, schema: profile.schemas[layer], table: second, layer }];
    }
    return [{ catalog: profile.catalog, schema: first, table: second, layer: layerOfSchema(profile, first) }];
  }
  return (['gold', 'silver', 'bronze'] as const).map((layer) => ({ catalog: profile.catalog, schema: profile.schemas[layer], table: first, layer }));
}

/** The single table a name means when that can be known without the engine (golden SQL, previews). */
export function tableRefOf(profile: Profile, name: string): TableRef {
  const candidates = tableCandidates(profile, name);
  return candidates[0]!;
}
