import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';
import { closestNames } from '../../core/suggest.js';
import type { Layer } from '../../profiles/profile.js';
import { bundledTables, type BundledTable } from './bundledTables.js';

/** Layers a policy governs: bronze holds raw lines and is for the pipeline only. */
export const GOVERNED_LAYERS = ['silver', 'gold'] as const satisfies readonly Layer[];
export type GovernedLayer = (typeof GOVERNED_LAYERS)[number];

export const PRIVILEGES = ['USE CATALOG', 'USE SCHEMA', 'SELECT', 'MODIFY', 'BROWSE'] as const;
export type Privilege = (typeof PRIVILEGES)[number];
const PRIVILEGES_ON: Record<Securable['kind'], readonly Privilege[]> = {
  catalog: ['USE CATALOG', 'USE SCHEMA', 'SELECT', 'MODIFY', 'BROWSE'],
  schema: ['USE SCHEMA', 'SELECT', 'MODIFY'],
  table: ['SELECT', 'MODIFY'],
};

export const MASK_RULES = ['email', 'phone', 'street', 'redact', 'hash'] as const;
export type MaskRule = (typeof MASK_RULES)[number];

/** One principal a grant goes to: a group, or one region of a group that has regions. */
export interface Role {
  name: string;
  group: string;
  region: string | undefined;
  /** The account group on Databricks, rendered for the env. */
  principal: string;
}

export type Securable = { kind: 'catalog' } | { kind: 'schema'; layer: GovernedLayer } | { kind: 'table'; layer: GovernedLayer; table: string };

export interface GrantRule {
  on: Securable;
  privileges: Privilege[];
  groups: string[];
}

export interface MaskPolicy {
  layer: GovernedLayer;
  table: string;
  column: string;
  /** The column's type as the bundled SQL declares it. */
  type: string;
  rule: MaskRule;
  unmaskedFor: string[];
}

export interface RowFilterPolicy {
  layer: GovernedLayer;
  table: string;
  column: string;
  columnType: string;
  lookup: { layer: GovernedLayer; table: string; attribute: string };
  unfilteredFor: string[];
}

export interface Policy {
  file: string;
  /** The file's text, so a preview can tell when the policy changed. */
  text: string;
  groups: Map<string, { principal: string; regions: string[] }>;
  grants: GrantRule[];
  masks: MaskPolicy[];
  rowFilters: RowFilterPolicy[];
}

type Raw = Record<string, unknown>;
const NAME = /^[a-z][a-z0-9_]*$/;
const PRINCIPAL = /^[A-Za-z0-9_.@{} -]+$/;

/** Every error names the file and the field, and suggests the closest known name. */
class PolicyReader {
  constructor(readonly file: string) {}

  fail(field: string, problem: string, hint?: string): never {
    throw new ConfigError(`${this.file}: field \`${field}\` ${problem}`, { hint: hint ?? `Fix \`${field}\` in ${this.file}; governance/policy.yaml shows the shape.` });
  }

  mapping(value: unknown, field: string): Raw {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(field, 'must be a mapping');
    return value as Raw;
  }

  list(value: unknown, field: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(field, 'must be a list');
    return value;
  }

  string(raw: Raw, key: string, field: string): string {
    const value = raw[key];
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'is required and must be a non-empty string');
    return value.trim();
  }

  known(raw: Raw, keys: readonly string[], prefix: string): void {
    for (const key of Object.keys(raw)) {
      if (keys.includes(key)) continue;
      const near = closestNames(key, keys);
      this.fail(`${prefix}${key}`, `is not a known field${near.length ? ` (did you mean \`${prefix}${near[0]}\`?)` : ''}`);
    }
  }

  oneOf<T extends string>(value: string, allowed: readonly T[], field: string, what: string): T {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    const near = closestNames(value, allowed);
    this.fail(field, `names ${what} "${value}"${near.length ? `; did you mean "${near[0]}"?` : ''} (known: ${allowed.join(', ')})`);
  }

  /** `gold.dim_customer` → a table the bundled SQL creates in a governed layer. */
  table(text: string, field: string): BundledTable & { layer: GovernedLayer } {
    const tables = bundledTables();
    const found = tables.get(text.toLowerCase());
    const governed = [...tables.values()].filter((t) => (GOVERNED_LAYERS as readonly string[]).includes(t.layer)).map((t) => `${t.layer}.${t.table}`);
    if (!found || !(GOVERNED_LAYERS as readonly string[]).includes(found.layer)) {
      const near = closestNames(text, governed);
      this.fail(field, `names table "${text}", which the bundled SQL does not create in silver or gold${near.length ? `; did you mean "${near[0]}"?` : ''}`);
    }
    return found as BundledTable & { layer: GovernedLayer };
  }

  /** `gold.dim_customer.email` → the table and the column's declared type. */
  column(text: string, field: string): { table: BundledTable & { layer: GovernedLayer }; column: string; type: string } {
    const parts = text.split('.');
    if (parts.length !== 3) this.fail(field, `must be layer.table.column (got "${text}")`);
    const table = this.table(`${parts[0]}.${parts[1]}`, field);
    return { table, ...this.columnOf(table, parts[2]!, field) };
  }

  columnOf(table: BundledTable, name: string, field: string): { column: string; type: string } {
    const declared = table.columns.find((c) => c.name === name.toLowerCase());
    if (!declared) {
      const near = closestNames(
        name,
        table.columns.map((c) => c.name),
      );
      this.fail(field, `names column "${name}", which ${table.layer}.${table.table} does not have${near.length ? `; did you mean "${near[0]}"?` : ''}`);
    }
    return { column: declared.name, type: declared.type };
  }

  groups(value: unknown, field: string, groups: ReadonlyMap<string, unknown>): string[] {
    return this.list(value, field).map((item, i) => {
      if (typeof item !== 'string') this.fail(`${field}[${i}]`, 'must be a group name');
      return this.oneOf(item, [...groups.keys()], `${field}[${i}]`, 'group');
    });
  }
}

function parseSecurable(reader: PolicyReader, text: string, field: string): Securable {
  const [kind = '', name, ...rest] = text.trim().split(/\s+/);
  if (kind === 'catalog' && name === undefined) return { kind: 'catalog' };
  if (kind === 'schema' && name !== undefined && rest.length === 0) return { kind: 'schema', layer: reader.oneOf(name, GOVERNED_LAYERS, field, 'schema') };
  if (kind === 'table' && name !== undefined && rest.length === 0) {
    const table = reader.table(name, field);
    return { kind: 'table', layer: table.layer, table: table.table };
  }
  reader.fail(field, `must be "catalog", "schema <silver|gold>" or "table <layer.table>" (got "${text}")`);
}

/** Parse and validate a policy text; tables and columns are checked against the bundled SQL. */
export function parsePolicy(text: string, file: string): Policy {
  const reader = new PolicyReader(file);
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) throw new ConfigError(`${file}: not valid YAML: ${first.message.split('\n')[0]}`, { hint: `Fix the YAML syntax in ${file}.` });
  const raw = reader.mapping(doc.toJS() ?? {}, '(top level)');
  reader.known(raw, ['groups', 'grants', 'masks', 'row_filters'], '');

  const groups = new Map<string, { principal: string; regions: string[] }>();
  for (const [name, value] of Object.entries(reader.mapping(raw['groups'], 'groups'))) {
    const field = `groups.${name}`;
    if (!NAME.test(name)) reader.fail(field, 'must be a lower-case name of letters, digits and underscores');
    const group = value === null ? {} : reader.mapping(value, field);
    reader.known(group, ['principal', 'regions'], `${field}.`);
    const principal = group['principal'] === undefined ? name : reader.string(group, 'principal', `${field}.principal`);
    if (!PRINCIPAL.test(principal)) reader.fail(`${field}.principal`, `has characters a principal name cannot hold (got "${principal}")`);
    const regions = reader.list(group['regions'], `${field}.regions`).map((r, i): string => {
      if (typeof r !== 'string' || !NAME.test(r)) return reader.fail(`${field}.regions[${i}]`, 'must be a lower-case region name');
      return r;
    });
    if (regions.length > 0 && !principal.includes('{{region}}')) reader.fail(`${field}.principal`, 'must contain {{region}}: the group has regions, one account group each');
    if (regions.length === 0 && principal.includes('{{region}}')) reader.fail(`${field}.principal`, 'contains {{region}} but the group lists no regions');
    groups.set(name, { principal, regions });
  }
  if (groups.size === 0) reader.fail('groups', 'must name at least one group');

  const grants = reader.list(raw['grants'], 'grants').map((item, i): GrantRule => {
    const field = `grants[${i}]`;
    const rule = reader.mapping(item, field);
    reader.known(rule, ['on', 'privileges', 'to'], `${field}.`);
    const on = parseSecurable(reader, reader.string(rule, 'on', `${field}.on`), `${field}.on`);
    const privileges = reader.list(rule['privileges'], `${field}.privileges`).map((p, j) => {
      const text = typeof p === 'string' ? p.trim().toUpperCase().replace(/\s+/g, ' ') : '';
      return reader.oneOf(text, PRIVILEGES_ON[on.kind], `${field}.privileges[${j}]`, `a privilege on a ${on.kind}`);
    });
    if (privileges.length === 0) reader.fail(`${field}.privileges`, 'must list at least one privilege');
    const to = reader.groups(rule['to'], `${field}.to`, groups);
    if (to.length === 0) reader.fail(`${field}.to`, 'must list at least one group');
    return { on, privileges, groups: to };
  });

  const masks = reader.list(raw['masks'], 'masks').map((item, i): MaskPolicy => {
    const field = `masks[${i}]`;
    const mask = reader.mapping(item, field);
    reader.known(mask, ['column', 'rule', 'unmasked_for'], `${field}.`);
    const { table, column, type } = reader.column(reader.string(mask, 'column', `${field}.column`), `${field}.column`);
    const rule = reader.oneOf(reader.string(mask, 'rule', `${field}.rule`), MASK_RULES, `${field}.rule`, 'mask rule');
    if (type !== 'string') reader.fail(`${field}.column`, `is ${type}; masks apply to string columns`);
    return { layer: table.layer, table: table.table, column, type, rule, unmaskedFor: reader.groups(mask['unmasked_for'], `${field}.unmasked_for`, groups) };
  });
  const masked = new Set<string>();
  masks.forEach((m, i) => {
    const key = `${m.layer}.${m.table}.${m.column}`;
    if (masked.has(key)) reader.fail(`masks[${i}].column`, `masks ${key} a second time; a column has one mask`);
    masked.add(key);
  });

  const rowFilters = reader.list(raw['row_filters'], 'row_filters').map((item, i): RowFilterPolicy => {
    const field = `row_filters[${i}]`;
    const filter = reader.mapping(item, field);
    reader.known(filter, ['table', 'column', 'lookup', 'unfiltered_for'], `${field}.`);
    const table = reader.table(reader.string(filter, 'table', `${field}.table`), `${field}.table`);
    const { column, type } = reader.columnOf(table, reader.string(filter, 'column', `${field}.column`), `${field}.column`);
    const lookup = reader.column(reader.string(filter, 'lookup', `${field}.lookup`), `${field}.lookup`);
    reader.columnOf(lookup.table, column, `${field}.lookup`);
    return {
      layer: table.layer,
      table: table.table,
      column,
      columnType: type,
      lookup: { layer: lookup.table.layer, table: lookup.table.table, attribute: lookup.column },
      unfilteredFor: reader.groups(filter['unfiltered_for'], `${field}.unfiltered_for`, groups),
    };
  });
  rowFilters.forEach((f, i) => {
    if (rowFilters.findIndex((g) => g.layer === f.layer && g.table === f.table) !== i)
      reader.fail(`row_filters[${i}].table`, `filters ${f.layer}.${f.table} a second time; a table has one row filter`);
  });

  return { file, text, groups, grants, masks, rowFilters };
}

export function policyFile(): string {
  return join(packageRoot(), 'governance', 'policy.yaml');
}

/** The bundled policy (governance/policy.yaml), or the file given. */
export function loadPolicy(file = policyFile()): Policy {
  if (!existsSync(file)) throw new ConfigError(`no policy file ${file}`, { hint: 'lhctl bundles governance/policy.yaml; pass --policy <file> for another.' });
  return parsePolicy(readFileSync(file, 'utf8'), file);
}

/** Every role of the policy: one per group, or one per region of a group with regions. */
export function policyRoles(policy: Policy, env: string): Role[] {
  return [...policy.groups].flatMap(([group, { principal, regions }]): Role[] => {
    const rendered = principal.replaceAll('{{env}}', env);
    if (regions.length === 0) return [{ name: group, group, region: undefined, principal: rendered }];
    return regions.map((region) => ({ name: `${group}_${region}`, group, region, principal: rendered.replaceAll('{{region}}', region) }));
  });
}

/** The roles a list of groups stands for. */
export function rolesOf(roles: readonly Role[], groups: readonly string[]): Role[] {
  return roles.filter((r) => groups.includes(r.group));
}
