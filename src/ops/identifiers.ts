import { UsageError } from '../core/errors.js';

/**
 * Identifiers lhctl writes into SQL. Only plain names are accepted (the medallion's catalogs,
 * schemas, tables and columns all are), so quoting can never be escaped by a crafted name.
 */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPlainIdentifier(text: string): boolean {
  return PLAIN_IDENTIFIER.test(text);
}

/** Throws a UsageError naming what was wrong; `what` is e.g. "table name" or "column". */
export function validateIdentifier(text: string, what: string): string {
  if (!isPlainIdentifier(text)) {
    throw new UsageError(`invalid ${what} "${text}": use letters, digits and _ only, not starting with a digit`);
  }
  return text;
}

/** Backtick-quotes a validated identifier; valid on Spark and Databricks SQL alike. */
export function quoteIdentifier(text: string): string {
  return `\`${validateIdentifier(text, 'identifier')}\``;
}

/** `a, b, c` from a comma list given on the command line, each validated. */
export function parseColumnList(text: string, what = 'column'): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new UsageError(`no ${what} given`);
  return names.map((name) => validateIdentifier(name, what));
}

/** A SQL string literal; only ever used for values lhctl built itself (timestamps, quoted names). */
export function stringLiteral(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
