import { UsageError } from '../core/errors.js';
import { quoteIdentifier as quoteName, stringLiteral, validateIdentifier } from '../sql/identifiers.js';

/**
 * Identifiers ops write into SQL: only plain names (as the medallion's catalogs, schemas, tables
 * and columns all are), validated and then quoted by the sql/ layer's helpers.
 */
export { stringLiteral, validateIdentifier };

/** A validated, backtick-quoted name part. */
export function quoteIdentifier(name: string): string {
  return quoteName(validateIdentifier(name));
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
