/**
 * Unity Catalog's governance state behind the loopback fake warehouse: grants, functions, column masks
 * and row filters, answered to the information_schema views (tables, catalog_, schema_ and
 * table_privileges, routines, column_masks, row_filters) as Databricks names their columns, and changed by GRANT / REVOKE / CREATE FUNCTION / ALTER TABLE statements that must follow
 * Databricks SQL syntax (backtick-quoted identifiers); any other such statement fails as a syntax error.
 */
import { thrift } from '@databricks/sql';
import type { ScriptedTable } from './thriftHandler.js';

const STRING = thrift.TCLIService_types.TTypeId.STRING_TYPE;

export interface GovernanceCatalog {
  catalog: string;
  /** `schema.table` of the tables that exist. */
  tables: Set<string>;
  /** `kind|securable|principal|PRIVILEGE`, securable as `catalog`, `catalog.schema` or `catalog.schema.table`. */
  grants: Set<string>;
  /** `schema.function` → its COMMENT and definition. */
  functions: Map<string, { comment: string; body: string; signature: string }>;
  /** `schema.table.column` → the mask function's name. */
  masks: Map<string, string>;
  /** `schema.table` → the filter function's name and the columns passed. */
  filters: Map<string, { name: string; columns: string }>;
  /** Every statement that changed the state, in order. */
  applied: string[];
}

export function newGovernanceCatalog(catalog: string, tables: string[]): GovernanceCatalog {
  return { catalog, tables: new Set(tables), grants: new Set(), functions: new Map(), masks: new Map(), filters: new Map(), applied: [] };
}

const ID = '`(?:[^`]|``)+`';
const NAME = (parts: number): string => Array.from({ length: parts }, () => ID).join('\\.');
const PRIVILEGE = '(?:USE CATALOG|USE SCHEMA|SELECT|MODIFY|BROWSE)';
const SECURABLE = `(CATALOG) (${NAME(1)})|(SCHEMA) (${NAME(2)})|(TABLE) (${NAME(3)})`;
const GRANT = new RegExp(`^GRANT (${PRIVILEGE}(?:, ${PRIVILEGE})*) ON (?:${SECURABLE}) TO (${ID})$`);
const REVOKE = new RegExp(`^REVOKE (${PRIVILEGE}(?:, ${PRIVILEGE})*) ON (?:${SECURABLE}) FROM (${ID})$`);
const TYPE = '(?:STRING|BIGINT|INT|DECIMAL\\(\\d+,\\d+\\)|DATE|TIMESTAMP|BOOLEAN)';
const CREATE_FUNCTION = new RegExp(`^CREATE OR REPLACE FUNCTION (${NAME(3)})\\((${ID} ${TYPE})\\)\\nRETURNS (${TYPE})\\nCOMMENT '([^'\\\\]*)'\\nRETURN (.+)$`, 's');
const SET_MASK = new RegExp(`^ALTER TABLE (${NAME(3)}) ALTER COLUMN (${ID}) SET MASK (${NAME(3)})$`);
const DROP_MASK = new RegExp(`^ALTER TABLE (${NAME(3)}) ALTER COLUMN (${ID}) DROP MASK$`);
const SET_FILTER = new RegExp(`^ALTER TABLE (${NAME(3)}) SET ROW FILTER (${NAME(3)}) ON \\((${ID}(?:, ${ID})*)\\)$`);
const DROP_FILTER = new RegExp(`^ALTER TABLE (${NAME(3)}) DROP ROW FILTER$`);
const DROP_FUNCTION = new RegExp(`^DROP FUNCTION IF EXISTS (${NAME(3)})$`);
const INFO = (view: string): RegExp => new RegExp(`^SELECT ([a-z_, ]+) FROM ${ID}\\.information_schema\\.${view} WHERE (\\w+) IN \\(('[^']*'(?:, '[^']*')*)\\)$`);

function parts(qualified: string): string[] {
  return [...qualified.matchAll(/`((?:[^`]|``)+)`/g)].map((m) => m[1]!.replaceAll('``', '`'));
}

const OK: ScriptedTable = { columns: [], rows: [] };

function syntaxError(sql: string): ScriptedTable {
  return { error: { message: `[PARSE_SYNTAX_ERROR] Syntax error at or near '${sql.split(/\s+/).slice(0, 3).join(' ')}'. SQLSTATE: 42601`, sqlState: '42601' } };
}

function notFound(kind: string, name: string): ScriptedTable {
  return { error: { message: `[${kind}] The object \`${name}\` cannot be found. SQLSTATE: 42P01`, sqlState: '42P01' } };
}

function table(names: string[], rows: string[][]): ScriptedTable {
  return { columns: names.map((name) => ({ name, type: STRING })), rows };
}

function securableOf(match: RegExpExecArray, offset: number): { kind: string; name: string[] } {
  for (let i = offset; i < offset + 6; i += 2) if (match[i]) return { kind: match[i]!.toLowerCase(), name: parts(match[i + 1]!) };
  throw new Error('no securable');
}

/** Answers a statement from the state, or undefined when it is none of governance's. */
export function answerGovernance(state: GovernanceCatalog, sql: string): ScriptedTable | undefined {
  const tableExists = (name: string[]): boolean => name[0] === state.catalog && state.tables.has(`${name[1]}.${name[2]}`);
  const change = (result: ScriptedTable): ScriptedTable => {
    if (!('error' in result)) state.applied.push(sql);
    return result;
  };

  let m: RegExpExecArray | null;
  for (const [regex, add] of [
    [GRANT, true],
    [REVOKE, false],
  ] as const) {
    m = regex.exec(sql);
    if (!m) continue;
    const on = securableOf(m, 2);
    if (on.kind === 'table' && !tableExists(on.name)) return notFound('TABLE_OR_VIEW_NOT_FOUND', on.name.join('.'));
    const principal = parts(m[8]!)[0]!;
    for (const privilege of m[1]!.split(', ')) {
      const key = `${on.kind}|${on.name.join('.')}|${principal}|${privilege}`;
      if (add) state.grants.add(key);
      else state.grants.delete(key);
    }
    return change(OK);
  }
  m = CREATE_FUNCTION.exec(sql);
  if (m) {
    const [catalog, schema, name] = parts(m[1]!);
    if (catalog !== state.catalog) return notFound('CATALOG_NOT_FOUND', catalog ?? '');
    if (!/^(is_account_group_member|regexp_replace|concat|right|sha2|CASE|EXISTS|false|`)/.test(m[5]!)) return syntaxError(m[5]!);
    state.functions.set(`${schema}.${name}`, { comment: m[4]!, body: m[5]!, signature: `${m[2]} -> ${m[3]}` });
    return change(OK);
  }
  const maskOrFilter = (qualified: string): string | undefined => {
    const [catalog, schema, name] = parts(qualified);
    return catalog === state.catalog && state.functions.has(`${schema}.${name}`) ? name : undefined;
  };
  m = SET_MASK.exec(sql);
  if (m) {
    const target = parts(m[1]!);
    if (!tableExists(target)) return notFound('TABLE_OR_VIEW_NOT_FOUND', target.join('.'));
    const fn = maskOrFilter(m[3]!);
    if (!fn) return notFound('ROUTINE_NOT_FOUND', m[3]!);
    state.masks.set(`${target[1]}.${target[2]}.${parts(m[2]!)[0]}`, fn);
    return change(OK);
  }
  m = DROP_MASK.exec(sql);
  if (m) {
    const target = parts(m[1]!);
    state.masks.delete(`${target[1]}.${target[2]}.${parts(m[2]!)[0]}`);
    return change(OK);
  }
  m = SET_FILTER.exec(sql);
  if (m) {
    const target = parts(m[1]!);
    if (!tableExists(target)) return notFound('TABLE_OR_VIEW_NOT_FOUND', target.join('.'));
    const fn = maskOrFilter(m[2]!);
    if (!fn) return notFound('ROUTINE_NOT_FOUND', m[2]!);
    state.filters.set(`${target[1]}.${target[2]}`, { name: fn, columns: parts(m[3]!).join(',') });
    return change(OK);
  }
  m = DROP_FUNCTION.exec(sql);
  if (m) {
    const [, schema, name] = parts(m[1]!);
    const inUse = [...state.masks.values(), ...[...state.filters.values()].map((f) => f.name)].includes(name!);
    if (inUse) return { error: { message: `[ROUTINE_IN_USE] ${m[1]} is used by a mask or row filter. SQLSTATE: 42000`, sqlState: '42000' } };
    state.functions.delete(`${schema}.${name}`);
    return change(OK);
  }
  m = DROP_FILTER.exec(sql);
  if (m) {
    const target = parts(m[1]!);
    state.filters.delete(`${target[1]}.${target[2]}`);
    return change(OK);
  }
  const grantRows = (kind: string) =>
    [...state.grants]
      .map((g) => g.split('|'))
      .filter(([k]) => k === kind)
      .map(([, securable = '', grantee = '', privilege_type = '']) => ({ securable: securable.split('.'), grantee, privilege_type }));
  const views: Record<string, (values: string[]) => Array<Record<string, unknown>>> = {
    tables: (schemas) =>
      [...state.tables]
        .map((t) => t.split('.'))
        .filter(([schema]) => schemas.includes(schema!))
        .map(([table_schema = '', table_name = '']) => ({ table_schema, table_name })),
    catalog_privileges: (catalogs) =>
      grantRows('catalog')
        .filter((g) => catalogs.includes(g.securable[0]!))
        .map((g) => ({ ...g, catalog_name: g.securable[0]!, inherited_from: 'NONE' })),
    schema_privileges: (schemas) =>
      grantRows('schema')
        .filter((g) => schemas.includes(g.securable[1]!))
        .map((g) => ({ ...g, schema_name: g.securable[1]!, inherited_from: 'NONE' })),
    // As the view does, a table lists the privileges it inherits from its schema, marked so.
    table_privileges: (schemas) => [
      ...grantRows('table')
        .filter((g) => schemas.includes(g.securable[1]!))
        .map((g) => ({ ...g, table_schema: g.securable[1]!, table_name: g.securable[2]!, inherited_from: 'NONE' })),
      ...grantRows('schema').flatMap((g) =>
        [...state.tables]
          .filter((t) => schemas.includes(g.securable[1]!) && t.startsWith(`${g.securable[1]}.`))
          .map((t) => ({ ...g, table_schema: g.securable[1]!, table_name: t.split('.')[1]!, inherited_from: `SCHEMA ${g.securable.join('.')}` })),
      ),
    ],
    routines: (schemas) =>
      [...state.functions].filter(([k]) => schemas.includes(k.split('.')[0]!)).map(([k, f]) => ({ routine_schema: k.split('.')[0]!, routine_name: k.split('.')[1]!, comment: f.comment })),
    column_masks: (schemas) =>
      [...state.masks]
        .filter(([k]) => schemas.includes(k.split('.')[0]!))
        .map(([k, mask_name]) => {
          const [schema_name = '', table_name = '', column_name = ''] = k.split('.');
          return { schema_name, table_name, column_name, mask_name };
        }),
    row_filters: (schemas) =>
      [...state.filters]
        .filter(([k]) => schemas.includes(k.split('.')[0]!))
        .map(([k, f]) => ({ schema_name: k.split('.')[0]!, table_name: k.split('.')[1]!, filter_name: f.name, filter_col_usage: f.columns })),
  };
  for (const [view, answer] of Object.entries(views)) {
    m = INFO(view).exec(sql);
    if (!m) continue;
    const names = m[1]!.split(', ');
    const values = [...m[3]!.matchAll(/'([^']*)'/g)].map((v) => v[1]!);
    return table(
      names,
      answer(values).map((r) => names.map((n) => String(r[n] ?? ''))),
    );
  }
  if (/^\s*(GRANT|REVOKE|ALTER|CREATE|DROP)\b/i.test(sql)) return syntaxError(sql);
  return undefined;
}
