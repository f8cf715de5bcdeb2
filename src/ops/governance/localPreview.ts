import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { UsageError } from '../../core/errors.js';
import { closestNames } from '../../core/suggest.js';
import { executeStatement, queryRows, type ExecuteOptions, type SqlEngine } from '../../engines/engine.js';
import type { Profile } from '../../profiles/profile.js';
import { quoteIdentifier, stringLiteral } from '../../sql/index.js';
import { tokenizeSql } from '../../sql/sqlTokens.js';
import { bundledTables } from './bundledTables.js';
import { GOVERNED_LAYERS, policyRoles, type GovernedLayer, type Policy, type Role } from './policy.js';
import { maskExpression, regionalRoles, tableSql } from './statements.js';

/**
 * The local preview of a policy: open-source Spark enforces no grants, masks or row filters, so each
 * role gets one view schema per governed layer (`local_gold__analysts`) whose views show what that role
 * would see. A preview of the policy's effect, not a security boundary: the base tables stay readable.
 */

export function previewSchema(profile: Profile, layer: GovernedLayer, role: Role): string {
  return `${profile.schemas[layer]}__${role.name}`;
}

function hasPrivilege(policy: Policy, role: Role, privilege: string, match: (on: Policy['grants'][number]['on']) => boolean): boolean {
  return policy.grants.some((g) => g.groups.includes(role.group) && g.privileges.includes(privilege as never) && match(g.on));
}

/** USE CATALOG, USE SCHEMA and SELECT (on the table, its schema or the catalog): what reading a table takes in Unity Catalog. */
export function canSelect(policy: Policy, role: Role, layer: GovernedLayer, table: string): boolean {
  const useCatalog = hasPrivilege(policy, role, 'USE CATALOG', (on) => on.kind === 'catalog');
  const useSchema = hasPrivilege(policy, role, 'USE SCHEMA', (on) => on.kind === 'catalog' || (on.kind === 'schema' && on.layer === layer));
  const select = hasPrivilege(policy, role, 'SELECT', (on) => on.kind === 'catalog' || (on.layer === layer && (on.kind === 'schema' || on.table === table)));
  return useCatalog && useSchema && select;
}

/** The SELECT of one role's view of a table: masked columns replaced, rows filtered. */
export function previewViewQuery(profile: Profile, policy: Policy, role: Role, layer: GovernedLayer, table: string, columns: readonly string[]): string {
  const roles = policyRoles(policy, profile.name);
  const items = columns.map((column) => {
    const mask = policy.masks.find((m) => m.layer === layer && m.table === table && m.column === column.toLowerCase());
    const name = quoteIdentifier(column);
    return mask && !mask.unmaskedFor.includes(role.group) ? `${maskExpression(mask.rule, name)} AS ${name}` : name;
  });
  let where = '';
  const filter = policy.rowFilters.find((f) => f.layer === layer && f.table === table);
  if (filter && !filter.unfilteredFor.includes(role.group)) {
    const regional = regionalRoles(filter, roles).some((r) => r.name === role.name);
    const column = quoteIdentifier(filter.column);
    where = regional
      ? `\nWHERE ${column} IN (SELECT l.${column} FROM ${tableSql(profile, filter.lookup.layer, filter.lookup.table)} AS l WHERE l.${quoteIdentifier(filter.lookup.attribute)} = ${stringLiteral(role.region ?? '')})`
      : '\nWHERE false';
  }
  return `SELECT ${items.join(', ')}\nFROM ${tableSql(profile, layer, table)}${where}`;
}

/** The governed tables that exist on the env, with their columns in order. */
async function existingTables(engine: SqlEngine, profile: Profile, options: ExecuteOptions): Promise<Array<{ layer: GovernedLayer; table: string; columns: string[] }>> {
  const found: Array<{ layer: GovernedLayer; table: string; columns: string[] }> = [];
  const bundled = bundledTables();
  for (const layer of GOVERNED_LAYERS) {
    const { rows } = await queryRows(engine, `SHOW TABLES IN ${quoteIdentifier(profile.catalog)}.${quoteIdentifier(profile.schemas[layer])}`, options).catch(() => ({ rows: [] }));
    // SHOW TABLES: namespace, tableName, isTemporary.
    const names = rows
      .filter((r) => r[2] !== true)
      .map((r) => String(r[1] ?? '').toLowerCase())
      .filter((name) => bundled.has(`${layer}.${name}`));
    for (const table of names.sort()) {
      const { columns } = await queryRows(engine, `SELECT * FROM ${tableSql(profile, layer, table)} LIMIT 0`, options);
      found.push({ layer, table, columns: columns.map((c) => c.name) });
    }
  }
  return found;
}

type PreviewTable = { layer: GovernedLayer; table: string; columns: string[] };

/** One role's preview: a schema per governed layer, a view per table it may read. */
function roleStatements(profile: Profile, policy: Policy, role: Role, tables: readonly PreviewTable[]): string[] {
  const statements: string[] = [];
  for (const layer of GOVERNED_LAYERS) {
    const schema = [profile.catalog, previewSchema(profile, layer, role)].map(quoteIdentifier).join('.');
    statements.push(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    for (const t of tables.filter((x) => x.layer === layer && canSelect(policy, role, layer, x.table))) {
      statements.push(`CREATE OR REPLACE VIEW ${schema}.${quoteIdentifier(t.table)} AS\n${previewViewQuery(profile, policy, role, layer, t.table, t.columns)}`);
    }
  }
  return statements;
}

/** Every statement that builds the preview of every role of the policy. */
export async function previewStatements(engine: SqlEngine, profile: Profile, policy: Policy, options: ExecuteOptions = {}): Promise<string[]> {
  const tables = await existingTables(engine, profile, options);
  return policyRoles(policy, profile.name).flatMap((role) => roleStatements(profile, policy, role, tables));
}

function stampFile(home: string, env: string, role: Role): string {
  return join(home, 'governance', `${env}-preview-${role.name}.json`);
}

/**
 * Builds the preview views of the roles given (all by default) where the policy or the tables' columns
 * changed since their last build: a digest of each role's statements is kept under the home with the
 * views built, so a rebuild drops the views the policy no longer grants. Returns how many statements ran.
 */
export async function refreshPreview(
  engine: SqlEngine,
  home: string,
  profile: Profile,
  policy: Policy,
  progress: (line: string) => void,
  options: ExecuteOptions = {},
  roles: readonly Role[] = policyRoles(policy, profile.name),
): Promise<number> {
  const tables = await existingTables(engine, profile, options);
  let ran = 0;
  for (const role of roles) {
    const statements = roleStatements(profile, policy, role, tables);
    const digest = createHash('sha256').update(statements.join(';\n')).digest('hex');
    const file = stampFile(home, profile.name, role);
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { digest?: string; views?: string[] }) : {};
    if (previous.digest === digest) continue;
    const views = statements.flatMap((s) => /^CREATE OR REPLACE VIEW (\S+) AS/.exec(s)?.[1] ?? []);
    progress(`building the policy preview of ${role.name} on env ${profile.name}: ${views.length} view(s)`);
    // Views of the role's schemas that the policy no longer grants (views left in schemas of other names stay).
    const schemas = GOVERNED_LAYERS.map((layer) => `${[profile.catalog, previewSchema(profile, layer, role)].map(quoteIdentifier).join('.')}.`);
    const stale = (previous.views ?? []).filter((v) => !views.includes(v) && schemas.some((schema) => v.startsWith(schema))).map((v) => `DROP VIEW IF EXISTS ${v}`);
    for (const statement of stale) await executeStatement(engine, statement, options);
    for (const statement of statements) await executeStatement(engine, statement, options);
    mkdirSync(join(home, 'governance'), { recursive: true });
    writeFileAtomic(file, JSON.stringify({ digest, views, built_at: new Date().toISOString() }));
    ran += stale.length + statements.length;
  }
  return ran;
}

/** The role `--as` names; a group with regions needs its region (`store_managers_west`). */
export function roleNamed(policy: Policy, profile: Profile, name: string): Role {
  const roles = policyRoles(policy, profile.name);
  const role = roles.find((r) => r.name === name);
  if (role) return role;
  const regional = roles.filter((r) => r.group === name);
  if (regional.length > 0) throw new UsageError(`group "${name}" has one role per region`, { hint: `Pick one: ${regional.map((r) => r.name).join(', ')}.` });
  const near = closestNames(
    name,
    roles.map((r) => r.name),
  );
  throw new UsageError(`no group "${name}" in ${policy.file}`, {
    hint: near.length ? `Did you mean ${near[0]}? Roles: ${roles.map((r) => r.name).join(', ')}.` : `Roles: ${roles.map((r) => r.name).join(', ')}.`,
  });
}

/**
 * The statement with every schema reference to a governed layer (`gold.`, `local_gold.`, quoted or not)
 * pointed at the role's preview schema of that layer.
 */
export function asRole(statement: string, profile: Profile, role: Role, policy?: Policy): string {
  const tokens = tokenizeSql(statement).filter((t) => t.type !== 'comment');
  const nameOf = (token: (typeof tokens)[number] | undefined): string | undefined =>
    token?.type === 'quotedName' ? token.text.slice(1, -1).replaceAll('``', '`') : token?.type === 'word' ? token.text : undefined;
  let out = '';
  let last = 0;
  tokens.forEach((token, i) => {
    const name = nameOf(token);
    if (name === undefined || tokens[i + 1]?.text !== '.') return;
    const layer = GOVERNED_LAYERS.find((l) => l === name.toLowerCase() || profile.schemas[l].toLowerCase() === name.toLowerCase());
    if (!layer) return;
    const table = nameOf(tokens[i + 2])?.toLowerCase();
    // Refused here, as Unity Catalog would refuse it, rather than as a missing view.
    if (policy && table !== undefined && bundledTables().has(`${layer}.${table}`) && !canSelect(policy, role, layer, table)) {
      throw new UsageError(`group ${role.name} cannot read ${layer}.${table}: ${policy.file} grants it no SELECT there (with USE CATALOG and USE SCHEMA)`, {
        hint: `lhctl grants validate lists the roles; the grants of ${policy.file} say what each reads.`,
      });
    }
    out += statement.slice(last, token.start) + quoteIdentifier(previewSchema(profile, layer, role));
    last = token.end;
  });
  return out + statement.slice(last);
}

/**
 * `lhctl sql --as <role>`: reads only, rewritten onto the role's preview schemas, with the preview rebuilt
 * first when the policy or the tables changed.
 */
export async function statementsAsRole(
  engine: () => Promise<SqlEngine>,
  home: string,
  profile: Profile,
  policy: Policy,
  roleName: string,
  statements: readonly string[],
  progress: (line: string) => void,
  options: ExecuteOptions = {},
): Promise<string[]> {
  // The group and every table read are checked before the engine is opened (or started).
  const role = roleNamed(policy, profile, roleName);
  const rewritten = statements.map((s) => asRole(s, profile, role, policy));
  await refreshPreview(await engine(), home, profile, policy, progress, options, [role]);
  return rewritten;
}
