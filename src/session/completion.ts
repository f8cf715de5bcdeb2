/** Names the completer draws on: tables as `schema.table`, and the columns of those loaded so far. */
export interface CatalogNames {
  tables: readonly string[];
  columns: ReadonlyMap<string, readonly string[]>;
}

export interface Completion {
  /** The span of `text` the chosen candidate replaces. */
  start: number;
  end: number;
  candidates: string[];
}

export const SQL_KEYWORDS = [
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP BY',
  'ORDER BY',
  'HAVING',
  'LIMIT',
  'JOIN',
  'LEFT JOIN',
  'INNER JOIN',
  'ON',
  'AS',
  'AND',
  'OR',
  'NOT',
  'NULL',
  'IS',
  'IN',
  'BETWEEN',
  'LIKE',
  'DISTINCT',
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'WITH',
  'UNION ALL',
  'INSERT INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE FROM',
  'MERGE INTO',
  'USING',
  'MATCHED',
  'DESCRIBE',
  'DESCRIBE HISTORY',
  'DESCRIBE DETAIL',
  'SHOW TABLES',
  'SHOW SCHEMAS',
  'VERSION AS OF',
  'TIMESTAMP AS OF',
  'OPTIMIZE',
  'ZORDER BY',
  'VACUUM',
  'RESTORE TABLE',
  'table_changes',
  'CREATE TABLE',
  'DROP TABLE',
  'current_date()',
  'current_timestamp()',
];

const WORD = /[A-Za-z0-9_.`]/;

function wordBounds(text: string, cursor: number): { start: number; end: number } {
  let start = cursor;
  while (start > 0 && WORD.test(text[start - 1]!)) start--;
  let end = cursor;
  while (end < text.length && WORD.test(text[end]!)) end++;
  return { start, end };
}

function startsWithCi(candidate: string, prefix: string): boolean {
  return candidate.toLowerCase().startsWith(prefix.toLowerCase());
}

/** Tables the text mentions, so their columns rank first. */
function mentionedTables(text: string, catalog: CatalogNames): string[] {
  const lower = text.toLowerCase();
  return catalog.tables.filter((t) => lower.includes(t.toLowerCase()) || new RegExp(`\\b${t.split('.').pop()!.toLowerCase()}\\b`).test(lower));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Completes the word at the cursor of a SQL text with keywords, tables and columns. */
export function completeSql(text: string, cursor: number, catalog: CatalogNames): Completion {
  const { start } = wordBounds(text, cursor);
  const prefix = text.slice(start, cursor).replace(/`/g, '');
  const end = cursor;
  if (prefix.includes('.')) {
    const head = prefix.slice(0, prefix.lastIndexOf('.'));
    const tables = catalog.tables.filter((t) => startsWithCi(t, prefix));
    const table = catalog.tables.find((t) => t.toLowerCase() === head.toLowerCase() || t.split('.').pop()!.toLowerCase() === head.toLowerCase());
    const columns = table ? (catalog.columns.get(table) ?? []).map((c) => `${head}.${c}`).filter((c) => startsWithCi(c, prefix)) : [];
    return { start, end, candidates: unique([...tables, ...columns]) };
  }
  const lowerCase = prefix !== '' && prefix === prefix.toLowerCase();
  const columns = mentionedTables(text, catalog).flatMap((t) => catalog.columns.get(t) ?? []);
  const keywords = SQL_KEYWORDS.map((k) => (lowerCase ? k.toLowerCase() : k));
  const bare = catalog.tables.map((t) => t.split('.').pop()!);
  const candidates = prefix === '' ? [] : unique([...columns, ...keywords, ...catalog.tables, ...bare]).filter((c) => startsWithCi(c, prefix) && c !== prefix);
  return { start, end, candidates };
}

/** Completes a command line: the command word first, then table names for its arguments. */
export function completeCommand(text: string, cursor: number, commandWords: readonly string[], catalog: CatalogNames): Completion {
  const { start } = wordBounds(text, cursor);
  const prefix = text.slice(start, cursor);
  const before = text.slice(0, start).trim();
  if (before === '' || before === ':') {
    return { start, end: cursor, candidates: commandWords.filter((w) => w.startsWith(prefix)).sort() };
  }
  const layered = catalog.tables.flatMap((t) => {
    const [schema, table] = t.split('.');
    const layer = /_(bronze|silver|gold)$/.exec(schema ?? '')?.[1];
    return layer ? [`${layer}.${table}`, t] : [t];
  });
  return {
    start,
    end: cursor,
    candidates: unique(layered)
      .filter((c) => startsWithCi(c, prefix) && c !== prefix)
      .sort(),
  };
}

/** The longest text every candidate starts with, to fill in on Tab when there are several. */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates) {
    while (!c.toLowerCase().startsWith(prefix.toLowerCase())) prefix = prefix.slice(0, -1);
  }
  return prefix;
}
