import { LAYERS } from '../profiles/profile.js';
import { listSqlFiles, loadSql, splitStatements } from '../sql/index.js';
import { bundledTables } from './governance/bundledTables.js';
import { assetLineage } from './lineage.js';

/**
 * Column lineage read from the bundled SQL by name, statement by statement: a written column comes from
 * the expression aliased to it (or the same-named column of a source), an expression's columns from the
 * table, temporary view or alias they are qualified with. It over-approximates where SQL is ambiguous to
 * a reader without a parser (an unqualified name counts for every source table that has it).
 */

/** `layer.table.column`. */
export type ColumnRef = string;

interface Binding {
  alias: string;
  /** `layer.table`, a temporary view's name, or undefined for a subquery or CTE. */
  source: string;
}

interface Statement {
  text: string;
  bindings: Binding[];
  /** `LATERAL VIEW explode(o.items) AS item`: item → o.items. */
  exploded: Map<string, { qualifier: string; column: string }>;
}

const LAYER = `(?:${LAYERS.join('|')})`;
const TABLE_REF = String.raw`(?:\{\{\s*catalog\s*\}\}\s*\.\s*)?\{\{\s*(${LAYER})\s*\}\}\s*\.\s*\x60?(\w+)\x60?|\{\{\s*changes:(${LAYER})\.(\w+)\s*\}\}|([A-Za-z_]\w*)`;
const BINDING = new RegExp(String.raw`\b(?:FROM|JOIN|INTO|USING)\s+(?:${TABLE_REF})(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?`, 'gi');
const NOT_ALIAS = new Set('WHERE ON LEFT RIGHT INNER OUTER FULL CROSS JOIN GROUP ORDER USING WHEN SET UNION LATERAL LIMIT HAVING WINDOW SEMI ANTI AS SELECT VALUES TABLE BY'.split(' '));
const KEYWORDS = new Set(
  (
    'AS AND OR NOT NULL IS IN CASE WHEN THEN ELSE END TRUE FALSE DISTINCT SELECT FROM WHERE INTERVAL ' +
    'CAST DECIMAL INT BIGINT STRING DATE TIMESTAMP BOOLEAN DOUBLE LIKE BETWEEN OVER PARTITION BY ORDER DESC ASC EXISTS ALL ANY'
  ).split(' '),
);
const TEMP_VIEW = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+VIEW\s+(\w+)/i;

function withoutNoise(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''");
}

function statementOf(text: string): Statement {
  const bindings: Binding[] = [];
  for (const m of text.matchAll(BINDING)) {
    const source = m[1] ? `${m[1].toLowerCase()}.${m[2]!.toLowerCase()}` : m[3] ? `${m[3].toLowerCase()}.${m[4]!.toLowerCase()}` : m[5]!.toLowerCase();
    const alias = m[6] && !NOT_ALIAS.has(m[6].toUpperCase()) ? m[6].toLowerCase() : (source.split('.').pop() ?? source);
    bindings.push({ alias, source });
  }
  const exploded = new Map<string, { qualifier: string; column: string }>();
  for (const m of text.matchAll(/\bLATERAL\s+VIEW\s+explode\(\s*(\w+)\.(\w+)\s*\)\s+(?:AS\s+)?(\w+)/gi)) {
    exploded.set(m[3]!.toLowerCase(), { qualifier: m[1]!.toLowerCase(), column: m[2]!.toLowerCase() });
  }
  return { text, bindings, exploded };
}

/** The expressions aliased `AS name` in a statement: from the alias back to the start of its select item. */
function aliasedExpressions(text: string, name: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(new RegExp(String.raw`\bAS\s+${name}\b(?!\s*\()`, 'gi'))) {
    let depth = 0;
    let i = m.index - 1;
    for (; i >= 0; i--) {
      const c = text[i]!;
      if (c === ')') depth++;
      else if (c === '(') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      else if (depth === 0 && /\b(?:SELECT|DISTINCT)\s*$/i.test(text.slice(Math.max(0, i - 9), i + 1))) break;
    }
    found.push(text.slice(i + 1, m.index));
  }
  return found;
}

/** Column references in an expression: `q.name` or `name`, leaving out functions, keywords and numbers. */
function references(expression: string): Array<{ qualifier: string | undefined; name: string }> {
  const refs: Array<{ qualifier: string | undefined; name: string }> = [];
  for (const m of expression.matchAll(/(?:([A-Za-z_]\w*)\s*\.\s*)?([A-Za-z_]\w*)\b(?!\s*[.(])/g)) {
    const name = m[2]!;
    if (KEYWORDS.has(name.toUpperCase()) || /^\{\{/.test(expression.slice(Math.max(0, m.index - 2), m.index))) continue;
    refs.push({ qualifier: m[1]?.toLowerCase(), name: name.toLowerCase() });
  }
  return refs;
}

class FileLineage {
  private readonly views = new Map<string, Statement>();
  private readonly statements: Statement[];

  constructor(sql: string) {
    this.statements = splitStatements(withoutNoise(sql)).map(statementOf);
    for (const s of this.statements) {
      const view = TEMP_VIEW.exec(s.text);
      if (view) this.views.set(view[1]!.toLowerCase(), s);
    }
  }

  /** The statements that write `table` (`layer.table`). */
  writers(table: string): Statement[] {
    return this.statements.filter((s) => assetLineage('', s.text).writes.includes(table));
  }

  resolve(statement: Statement, name: string, qualifier: string | undefined, target: string, seen = new Set<string>()): Set<ColumnRef> {
    const found = new Set<ColumnRef>();
    const key = `${this.statements.indexOf(statement)}|${qualifier ?? ''}|${name}`;
    if (seen.has(key)) return found;
    seen.add(key);
    const tables = bundledTables();
    const element = qualifier === undefined ? undefined : statement.exploded.get(qualifier);
    if (element) return this.resolve(statement, element.column, element.qualifier, target, seen);
    // An unqualified name is looked up in every source only when nothing more precise names it (below).
    const bindings = qualifier === undefined ? [] : statement.bindings.filter((b) => b.source !== target && b.alias === qualifier);
    for (const b of bindings) {
      if (tables.get(b.source)?.columns.some((c) => c.name === name)) found.add(`${b.source}.${name}`);
      const view = this.views.get(b.source);
      if (view) for (const ref of this.resolve(view, name, undefined, target, seen)) found.add(ref);
      // A CTE of the same statement: its columns come from the statement's own sources.
      else if (!tables.has(b.source) && new RegExp(String.raw`\b${b.source}\s+AS\s*\(`, 'i').test(statement.text)) {
        for (const ref of this.resolve(statement, name, undefined, target, seen)) found.add(ref);
      }
    }
    if (found.size > 0 || (qualifier !== undefined && statement.bindings.some((b) => b.alias === qualifier && b.source === target))) return found;
    const expressions = aliasedExpressions(statement.text, name);
    if (expressions.length > 0) {
      for (const expression of expressions) {
        for (const ref of references(expression)) for (const column of this.resolve(statement, ref.name, ref.qualifier, target, seen)) found.add(column);
      }
      return found;
    }
    const qualified = [...statement.text.matchAll(new RegExp(String.raw`\b([A-Za-z_]\w*)\s*\.\s*${name}\b`, 'gi'))].map((m) => m[1]!.toLowerCase()).filter((q) => q !== qualifier);
    for (const q of new Set(qualified)) for (const column of this.resolve(statement, name, q, target, seen)) found.add(column);
    if (found.size > 0 || qualifier !== undefined) return found;
    for (const b of statement.bindings) {
      if (b.source !== target && tables.get(b.source)?.columns.some((c) => c.name === name)) found.add(`${b.source}.${name}`);
      const view = this.views.get(b.source);
      if (view) for (const ref of this.resolve(view, name, undefined, target, seen)) found.add(ref);
    }
    return found;
  }
}

let cached: Map<ColumnRef, ColumnRef[]> | undefined;

/** Every column the bundled SQL writes → the columns of other tables it is computed from. */
export function bundledColumnLineage(): Map<ColumnRef, ColumnRef[]> {
  if (cached) return cached;
  const edges = new Map<ColumnRef, ColumnRef[]>();
  for (const name of listSqlFiles()) {
    const sql = loadSql(name);
    const file = new FileLineage(sql);
    for (const table of assetLineage(name, sql).writes) {
      const declared = bundledTables().get(table);
      if (!declared) continue;
      const writers = file.writers(table);
      for (const column of declared.columns) {
        const sources = new Set(edges.get(`${table}.${column.name}`) ?? []);
        for (const statement of writers) for (const source of file.resolve(statement, column.name, undefined, table)) sources.add(source);
        edges.set(`${table}.${column.name}`, [...sources].sort());
      }
    }
  }
  cached = edges;
  return edges;
}
