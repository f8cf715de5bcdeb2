import { executeStatement, queryRecords, type ExecuteOptions, type SqlEngine } from '../../engines/engine.js';
import type { Profile } from '../../profiles/profile.js';
import { quoteIdentifier, stringLiteral } from '../../sql/index.js';
import { bundledTables } from './bundledTables.js';
import { GOVERNED_LAYERS, policyRoles, rolesOf, type GovernedLayer, type Policy, type Securable } from './policy.js';
import {
  FUNCTION_COMMENT_PREFIX,
  dropMaskSql,
  dropRowFilterSql,
  filterFunctionName,
  filterFunctionSql,
  functionDigest,
  functionSql,
  grantSql,
  maskFunctionName,
  maskFunctionSql,
  revokeSql,
  setMaskSql,
  setRowFilterSql,
} from './statements.js';

/** One statement of a governance plan, with what it changes in the operator's words. */
export interface GovernanceChange {
  kind: 'function' | 'mask' | 'row filter' | 'grant' | 'revoke';
  object: string;
  change: string;
  sql: string;
}

export interface GovernancePlan {
  env: string;
  changes: GovernanceChange[];
  warnings: string[];
}

interface CurrentState {
  /** `securable|principal|PRIVILEGE` for the policy's principals. */
  grants: Map<string, { on: Securable; principal: string; privilege: string }>;
  /** `schema.name` → the digest in the function's comment. */
  functions: Map<string, string>;
  /** `schema.table.column` → the mask function's name. */
  masks: Map<string, string>;
  /** `schema.table` → `function(columns)`. */
  filters: Map<string, string>;
  missingTables: Set<string>;
}

function securableKey(on: Securable): string {
  return on.kind === 'catalog' ? 'catalog' : on.kind === 'schema' ? `schema ${on.layer}` : `table ${on.layer}.${on.table}`;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** A privilege granted on the object itself, not inherited from its schema or catalog. */
function direct(row: Record<string, unknown>): boolean {
  const from = text(row['inherited_from']).toUpperCase();
  return from === '' || from === 'NONE';
}

/** Seven reads of the catalog's information_schema: its tables, privileges on catalog, schemas and tables, functions, masks and row filters. */
async function readState(engine: SqlEngine, profile: Profile, principals: Set<string>, options: ExecuteOptions): Promise<CurrentState> {
  const state: CurrentState = { grants: new Map(), functions: new Map(), masks: new Map(), filters: new Map(), missingTables: new Set() };
  const info = `${quoteIdentifier(profile.catalog)}.information_schema`;
  const schemas = GOVERNED_LAYERS.map((l) => stringLiteral(profile.schemas[l])).join(', ');
  const read = (sql: string): Promise<Array<Record<string, unknown>>> => queryRecords(engine, sql, options);
  const existing = new Set((await read(`SELECT table_schema, table_name FROM ${info}.tables WHERE table_schema IN (${schemas})`)).map((r) => `${text(r['table_schema'])}.${text(r['table_name'])}`));
  for (const t of bundledTables().values()) {
    const layer = t.layer as GovernedLayer;
    if ((GOVERNED_LAYERS as readonly string[]).includes(layer) && !existing.has(`${profile.schemas[layer]}.${t.table}`)) state.missingTables.add(`${layer}.${t.table}`);
  }
  const grant = (on: Securable, row: Record<string, unknown>): void => {
    const principal = text(row['grantee']);
    const privilege = text(row['privilege_type']).toUpperCase();
    if (direct(row) && principals.has(principal)) state.grants.set(`${securableKey(on)}|${principal}|${privilege}`, { on, principal, privilege });
  };
  for (const row of await read(`SELECT grantee, privilege_type, inherited_from FROM ${info}.catalog_privileges WHERE catalog_name IN (${stringLiteral(profile.catalog)})`)) {
    grant({ kind: 'catalog' }, row);
  }
  for (const row of await read(`SELECT grantee, schema_name, privilege_type, inherited_from FROM ${info}.schema_privileges WHERE schema_name IN (${schemas})`)) {
    const layer = layerOfSchema(profile, text(row['schema_name']));
    if (layer) grant({ kind: 'schema', layer }, row);
  }
  for (const row of await read(`SELECT grantee, table_schema, table_name, privilege_type, inherited_from FROM ${info}.table_privileges WHERE table_schema IN (${schemas})`)) {
    const layer = layerOfSchema(profile, text(row['table_schema']));
    if (layer) grant({ kind: 'table', layer, table: text(row['table_name']) }, row);
  }
  for (const row of await read(`SELECT routine_schema, routine_name, comment FROM ${info}.routines WHERE routine_schema IN (${schemas})`)) {
    const comment = text(row['comment']);
    if (comment.startsWith(FUNCTION_COMMENT_PREFIX)) state.functions.set(`${text(row['routine_schema'])}.${text(row['routine_name'])}`, comment.slice(FUNCTION_COMMENT_PREFIX.length));
  }
  for (const row of await read(`SELECT schema_name, table_name, column_name, mask_name FROM ${info}.column_masks WHERE schema_name IN (${schemas})`)) {
    state.masks.set(`${text(row['schema_name'])}.${text(row['table_name'])}.${text(row['column_name'])}`, text(row['mask_name']));
  }
  for (const row of await read(`SELECT schema_name, table_name, filter_name, filter_col_usage FROM ${info}.row_filters WHERE schema_name IN (${schemas})`)) {
    state.filters.set(`${text(row['schema_name'])}.${text(row['table_name'])}`, `${text(row['filter_name'])}(${text(row['filter_col_usage'])})`);
  }
  return state;
}

function layerOfSchema(profile: Profile, schema: string): GovernedLayer | undefined {
  return GOVERNED_LAYERS.find((l) => profile.schemas[l] === schema);
}

/** The CREATE OR REPLACE FUNCTION, when the function is missing or its comment's digest differs from the policy's. */
function functionChange(state: CurrentState, name: string, sql: string): GovernanceChange[] {
  const current = state.functions.get(name);
  return current === functionDigest(sql) ? [] : [{ kind: 'function', object: name, change: current === undefined ? 'create' : 'replace', sql }];
}

/** Compare the policy with the env's catalog (reads only) and list the statements that converge it, in the order they run. */
export async function planGovernance(engine: SqlEngine, profile: Profile, policy: Policy, options: ExecuteOptions = {}): Promise<GovernancePlan> {
  const roles = policyRoles(policy, profile.name);
  const state = await readState(engine, profile, new Set(roles.map((r) => r.principal)), options);
  const warnings = [...state.missingTables]
    .sort()
    .map(
      (t) =>
        `${profile.schemas[t.split('.')[0] as GovernedLayer]}.${t.split('.')[1]} does not exist yet on env ${profile.name}: its grants, mask and row filter wait until the pipeline has created it`,
    );
  const exists = (layer: GovernedLayer, table: string): boolean => !state.missingTables.has(`${layer}.${table}`);
  const changes: GovernanceChange[] = [];

  const functions: GovernanceChange[] = [];
  const attach: GovernanceChange[] = [];
  for (const mask of policy.masks) {
    if (!exists(mask.layer, mask.table)) continue;
    const schema = profile.schemas[mask.layer];
    const name = maskFunctionName(mask);
    functions.push(...functionChange(state, `${schema}.${name}`, maskFunctionSql(profile, mask, roles)));
    const attached = state.masks.get(`${schema}.${mask.table}.${mask.column}`);
    if (attached !== name)
      attach.push({ kind: 'mask', object: `${schema}.${mask.table}.${mask.column}`, change: attached ? `replace mask ${attached}` : `set mask (${mask.rule})`, sql: setMaskSql(profile, mask) });
  }
  for (const filter of policy.rowFilters) {
    if (!exists(filter.layer, filter.table)) continue;
    const schema = profile.schemas[filter.layer];
    const name = filterFunctionName(filter);
    functions.push(...functionChange(state, `${schema}.${name}`, filterFunctionSql(profile, filter, roles)));
    const attached = state.filters.get(`${schema}.${filter.table}`);
    if (attached !== `${name}(${filter.column})`) {
      attach.push({
        kind: 'row filter',
        object: `${schema}.${filter.table}`,
        change: attached ? `replace row filter ${attached}` : `set row filter on ${filter.column}`,
        sql: setRowFilterSql(profile, filter),
      });
    }
  }

  const desired = new Map<string, { on: Securable; principal: string; privilege: string }>();
  for (const rule of policy.grants) {
    if (rule.on.kind === 'table' && !exists(rule.on.layer, rule.on.table)) continue;
    for (const role of rolesOf(roles, rule.groups)) {
      for (const privilege of rule.privileges) desired.set(`${securableKey(rule.on)}|${role.principal}|${privilege}`, { on: rule.on, principal: role.principal, privilege });
    }
  }
  const grants = grouped(desired, state.grants).map(
    ({ on, principal, privileges }): GovernanceChange => ({
      kind: 'grant',
      object: securableKey(on),
      change: `${privileges.join(', ')} to ${principal}`,
      sql: grantSql(profile, privileges, on, principal),
    }),
  );
  const revokes = grouped(state.grants, desired).map(
    ({ on, principal, privileges }): GovernanceChange => ({
      kind: 'revoke',
      object: securableKey(on),
      change: `${privileges.join(', ')} from ${principal}`,
      sql: revokeSql(profile, privileges, on, principal),
    }),
  );

  // Masks and filters lhctl set that the policy no longer names come off; others' are left alone.
  const drops: GovernanceChange[] = [];
  for (const [key, maskName] of state.masks) {
    const [schema = '', table = '', column = ''] = key.split('.');
    const layer = layerOfSchema(profile, schema);
    if (!layer || !maskName.startsWith('lhctl_mask_')) continue;
    if (!policy.masks.some((m) => m.layer === layer && m.table === table && m.column === column))
      drops.push({ kind: 'mask', object: key, change: `drop mask ${maskName}`, sql: dropMaskSql(profile, layer, table, column) });
  }
  for (const [key, filterName] of state.filters) {
    const [schema = '', table = ''] = key.split('.');
    const layer = layerOfSchema(profile, schema);
    if (!layer || !filterName.startsWith('lhctl_filter_')) continue;
    if (!policy.rowFilters.some((f) => f.layer === layer && f.table === table))
      drops.push({ kind: 'row filter', object: key, change: `drop row filter ${filterName}`, sql: dropRowFilterSql(profile, layer, table) });
  }
  // Functions lhctl made that no mask or filter of the policy uses any more go last, once nothing refers to them.
  const used = new Set([...policy.masks.map((m) => `${profile.schemas[m.layer]}.${maskFunctionName(m)}`), ...policy.rowFilters.map((f) => `${profile.schemas[f.layer]}.${filterFunctionName(f)}`)]);
  for (const name of [...state.functions.keys()].sort()) {
    const [schema = '', fn = ''] = name.split('.');
    const layer = layerOfSchema(profile, schema);
    if (layer && !used.has(name)) drops.push({ kind: 'function', object: name, change: 'drop', sql: `DROP FUNCTION IF EXISTS ${functionSql(profile, layer, fn)}` });
  }
  changes.push(...functions, ...attach, ...grants, ...revokes, ...drops);
  return { env: profile.name, changes, warnings };
}

type Held = Map<string, { on: Securable; principal: string; privilege: string }>;

/** The privileges in `from` that `without` lacks, one entry per securable and principal, in the order first met. */
function grouped(from: Held, without: Held): Array<{ on: Securable; principal: string; privileges: string[] }> {
  const groups = new Map<string, { on: Securable; principal: string; privileges: string[] }>();
  for (const [key, g] of from) {
    if (without.has(key)) continue;
    const id = `${securableKey(g.on)}|${g.principal}`;
    const group = groups.get(id) ?? { on: g.on, principal: g.principal, privileges: [] };
    group.privileges.push(g.privilege);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/** Run a plan's statements in order; `progress` hears each before it runs. */
export async function applyGovernance(engine: SqlEngine, plan: GovernancePlan, progress: (line: string) => void, options: ExecuteOptions = {}): Promise<GovernanceChange[]> {
  const applied: GovernanceChange[] = [];
  for (const change of plan.changes) {
    progress(`${change.kind} ${change.object}: ${change.change}`);
    await executeStatement(engine, change.sql, options);
    applied.push(change);
  }
  return applied;
}
