import { tokenizeSql } from './sqlTokens.js';

export { splitStatements } from './split.js';

/** The statement without the comments that precede it. */
export function stripLeadingComments(statement: string): string {
  const first = tokenizeSql(statement).find((t) => t.type !== 'comment');
  return first ? statement.slice(first.start) : '';
}

/** The statement without its leading comments, on one line and shortened: for progress lines and run records. */
export function statementSummary(statement: string, max = 80): string {
  const code = stripLeadingComments(statement).replace(/\s+/g, ' ').trim();
  return code.length > max ? code.slice(0, max - 1) + '…' : code;
}
