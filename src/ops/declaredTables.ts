/** A column as a table schema states it: name and type, compared case-insensitively and without spaces. */
export interface DeclaredColumn {
  name: string;
  type: string;
}

export interface DeclaredTable {
  /** As written in the statement once rendered, e.g. `retail_datalake.qa_gold.dim_customer`. */
  name: string;
  columns: DeclaredColumn[];
}

const CREATE_TABLE = /\bCREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([`\w.]+)\s*\(/gi;
/** Where a column's type ends: its constraints and options. */
const TYPE_END = /\s+(?:NOT\s+NULL|NULL|COMMENT|DEFAULT|GENERATED|CONSTRAINT|PRIMARY|MASK)\b/i;

/** The SQL with `--` comments blanked, so their words and parentheses are not read as DDL. */
function withoutLineComments(sql: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      out += c;
    } else if (c === "'" || c === '`' || c === '"') {
      quote = c;
      out += c;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** The column list from just after `(` to its matching `)`, split on top-level commas. */
function columnItems(sql: string, start: number): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = start; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '`' || c === '"') {
      quote = c;
    } else if (c === '(' || c === '<') {
      depth++;
    } else if (c === '>' || (c === ')' && depth > 0)) {
      depth--;
    } else if (c === ')') {
      items.push(current);
      return items.map((s) => s.trim()).filter(Boolean);
    } else if (c === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  return [];
}

export function normalType(type: string): string {
  return type.replace(/\s+/g, '').toLowerCase();
}

function column(item: string): DeclaredColumn | undefined {
  if (/^(CONSTRAINT|PRIMARY|FOREIGN|CHECK)\b/i.test(item)) return undefined;
  const match = /^(`[^`]+`|\w+)\s+([\s\S]+)$/.exec(item);
  if (!match) return undefined;
  const type = match[2]!.split(TYPE_END)[0]!;
  return { name: match[1]!.replace(/`/g, '').toLowerCase(), type: normalType(type) };
}

/** The tables a SQL text creates with an explicit column list (CTAS has none to read). */
export function declaredTables(sql: string): DeclaredTable[] {
  const text = withoutLineComments(sql);
  return [...text.matchAll(CREATE_TABLE)].map((m) => ({
    name: m[1]!.replace(/`/g, ''),
    columns: columnItems(text, m.index + m[0].length)
      .map(column)
      .filter((c): c is DeclaredColumn => c !== undefined),
  }));
}
