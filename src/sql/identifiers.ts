import { UsageError } from '../core/errors.js';

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPlainIdentifier(name: string): boolean {
  return PLAIN_IDENTIFIER.test(name);
}

/** Refuses anything but a plain identifier, so a name typed by a user can never carry SQL. */
export function validateIdentifier(name: string, what = 'identifier'): string {
  if (!isPlainIdentifier(name)) {
    throw new UsageError(`${what} "${name}" is not a plain identifier`, { hint: 'Use letters, digits and underscores, not starting with a digit.' });
  }
  return name;
}

/** Backtick-quotes one name part; embedded backticks are doubled, as Spark and Databricks SQL expect. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `catalog.schema.table` with every part validated and quoted. */
export function qualifiedName(...parts: string[]): string {
  return parts.map((p) => quoteIdentifier(validateIdentifier(p))).join('.');
}

/**
 * Parses `schema.table` or `catalog.schema.table` typed by a user into validated parts;
 * surrounding backticks on a part are accepted.
 */
export function parseQualifiedName(text: string): string[] {
  const parts = text.split('.').map((p) => p.trim().replace(/^`(.*)`$/, '$1'));
  if (parts.length < 1 || parts.length > 3) throw new UsageError(`"${text}" is not a table name`, { hint: 'Write table, schema.table or catalog.schema.table.' });
  return parts.map((p) => validateIdentifier(p, 'name part'));
}

/** A SQL string literal with single quotes and backslashes escaped. */
export function stringLiteral(value: string): string {
  return "'" + value.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}
