import { createHash } from 'node:crypto';
import type { Profile } from '../../profiles/profile.js';
import { quoteIdentifier, stringLiteral } from '../../sql/index.js';
import type { GovernedLayer, MaskPolicy, MaskRule, Role, RowFilterPolicy, Securable } from './policy.js';
import { rolesOf } from './policy.js';

/**
 * The SQL a policy renders to: mask expressions shared by Databricks functions and the local preview's
 * views, and the Databricks statements (GRANT, REVOKE, CREATE FUNCTION, SET MASK, SET ROW FILTER).
 */

/** The masked form of `value` (a SQL expression); valid Spark and Databricks SQL, NULL stays NULL. */
export function maskExpression(rule: MaskRule, value: string): string {
  switch (rule) {
    case 'email':
      return `regexp_replace(${value}, '^[^@]+', '***')`;
    case 'phone':
      return `concat('***-***-', right(regexp_replace(${value}, '[^0-9]', ''), 4))`;
    case 'street':
      return `regexp_replace(${value}, '^[0-9]+', '***')`;
    case 'redact':
      return `CASE WHEN ${value} IS NULL THEN NULL ELSE '***' END`;
    case 'hash':
      return `sha2(${value}, 256)`;
  }
}

export function tableSql(profile: Profile, layer: GovernedLayer, table: string): string {
  return [profile.catalog, profile.schemas[layer], table].map(quoteIdentifier).join('.');
}

export function securableSql(profile: Profile, on: Securable): string {
  switch (on.kind) {
    case 'catalog':
      return `CATALOG ${quoteIdentifier(profile.catalog)}`;
    case 'schema':
      return `SCHEMA ${quoteIdentifier(profile.catalog)}.${quoteIdentifier(profile.schemas[on.layer])}`;
    case 'table':
      return `TABLE ${tableSql(profile, on.layer, on.table)}`;
  }
}

export function grantSql(profile: Profile, privileges: readonly string[], on: Securable, principal: string): string {
  return `GRANT ${privileges.join(', ')} ON ${securableSql(profile, on)} TO ${quoteIdentifier(principal)}`;
}

export function revokeSql(profile: Profile, privileges: readonly string[], on: Securable, principal: string): string {
  return `REVOKE ${privileges.join(', ')} ON ${securableSql(profile, on)} FROM ${quoteIdentifier(principal)}`;
}

export function maskFunctionName(mask: Pick<MaskPolicy, 'table' | 'column'>): string {
  return `lhctl_mask_${mask.table}_${mask.column}`;
}

export function filterFunctionName(filter: Pick<RowFilterPolicy, 'table'>): string {
  return `lhctl_filter_${filter.table}`;
}

export function functionSql(profile: Profile, layer: GovernedLayer, name: string): string {
  return [profile.catalog, profile.schemas[layer], name].map(quoteIdentifier).join('.');
}

function memberOf(role: Role): string {
  return `is_account_group_member(${stringLiteral(role.principal)})`;
}

/** A short digest of a function's definition, kept in its COMMENT so a plan can tell it changed. */
export function definitionDigest(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 12);
}

export const FUNCTION_COMMENT_PREFIX = 'lhctl governance policy ';

function createFunction(qualified: string, parameters: string, returns: string, body: string): string {
  return `CREATE OR REPLACE FUNCTION ${qualified}(${parameters})\nRETURNS ${returns}\nCOMMENT ${stringLiteral(FUNCTION_COMMENT_PREFIX + definitionDigest(`${parameters} ${returns} ${body}`))}\nRETURN ${body}`;
}

export function maskFunctionBody(mask: MaskPolicy, roles: readonly Role[]): string {
  const value = quoteIdentifier('value');
  const unmasked = rolesOf(roles, mask.unmaskedFor);
  const masked = maskExpression(mask.rule, value);
  return unmasked.length === 0 ? masked : `CASE WHEN ${unmasked.map(memberOf).join(' OR ')} THEN ${value} ELSE ${masked} END`;
}

export function maskFunctionSql(profile: Profile, mask: MaskPolicy, roles: readonly Role[]): string {
  return createFunction(functionSql(profile, mask.layer, maskFunctionName(mask)), `${quoteIdentifier('value')} ${mask.type.toUpperCase()}`, mask.type.toUpperCase(), maskFunctionBody(mask, roles));
}

/** The regional roles a row filter lets through to their region's rows. */
export function regionalRoles(filter: RowFilterPolicy, roles: readonly Role[]): Role[] {
  return roles.filter((r) => r.region !== undefined && !filter.unfilteredFor.includes(r.group));
}

export function filterParameter(filter: RowFilterPolicy): string {
  return quoteIdentifier(`filter_${filter.column}`);
}

export function filterFunctionBody(profile: Profile, filter: RowFilterPolicy, roles: readonly Role[]): string {
  const unfiltered = rolesOf(roles, filter.unfilteredFor).map(memberOf);
  const regional = regionalRoles(filter, roles);
  const column = quoteIdentifier(filter.column);
  const attribute = quoteIdentifier(filter.lookup.attribute);
  const lookup =
    regional.length === 0
      ? []
      : [
          `EXISTS (SELECT 1 FROM ${tableSql(profile, filter.lookup.layer, filter.lookup.table)} AS l WHERE l.${column} = ${filterParameter(filter)} AND (${regional
            .map((r) => `(${memberOf(r)} AND l.${attribute} = ${stringLiteral(r.region ?? '')})`)
            .join(' OR ')}))`,
        ];
  const terms = [...unfiltered, ...lookup];
  return terms.length === 0 ? 'false' : terms.join(' OR ');
}

export function filterFunctionSql(profile: Profile, filter: RowFilterPolicy, roles: readonly Role[]): string {
  const parameter = `${filterParameter(filter)} ${filter.columnType.toUpperCase()}`;
  return createFunction(functionSql(profile, filter.layer, filterFunctionName(filter)), parameter, 'BOOLEAN', filterFunctionBody(profile, filter, roles));
}

/** The digest the COMMENT of a mask or filter function carries. */
export function functionDigest(sql: string): string {
  const match = new RegExp(`COMMENT '${FUNCTION_COMMENT_PREFIX}([0-9a-f]+)'`).exec(sql);
  return match?.[1] ?? '';
}

export function setMaskSql(profile: Profile, mask: MaskPolicy): string {
  return `ALTER TABLE ${tableSql(profile, mask.layer, mask.table)} ALTER COLUMN ${quoteIdentifier(mask.column)} SET MASK ${functionSql(profile, mask.layer, maskFunctionName(mask))}`;
}

export function dropMaskSql(profile: Profile, layer: GovernedLayer, table: string, column: string): string {
  return `ALTER TABLE ${tableSql(profile, layer, table)} ALTER COLUMN ${quoteIdentifier(column)} DROP MASK`;
}

export function setRowFilterSql(profile: Profile, filter: RowFilterPolicy): string {
  return `ALTER TABLE ${tableSql(profile, filter.layer, filter.table)} SET ROW FILTER ${functionSql(profile, filter.layer, filterFunctionName(filter))} ON (${quoteIdentifier(filter.column)})`;
}

export function dropRowFilterSql(profile: Profile, layer: GovernedLayer, table: string): string {
  return `ALTER TABLE ${tableSql(profile, layer, table)} DROP ROW FILTER`;
}
