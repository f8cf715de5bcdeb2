import { stripLeadingComments } from './statements.js';

/** What a statement does to the lakehouse, for the safety checks of protected envs. */
export type StatementKind = 'read' | 'write' | 'destructive';

const READ = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'VALUES', 'TABLE', 'LIST', 'USE']);
// Statements that remove data or history; INSERT OVERWRITE and CREATE OR REPLACE replace it.
const DESTRUCTIVE = /^\s*(DROP|TRUNCATE|DELETE|RESTORE|VACUUM|GRANT|REVOKE)\b|^\s*INSERT\s+OVERWRITE\b|^\s*CREATE\s+OR\s+REPLACE\b|^\s*ALTER\s+\w+\s+\S+\s+DROP\b/i;

export function statementKind(sql: string): StatementKind {
  const text = stripLeadingComments(sql);
  if (DESTRUCTIVE.test(text)) return 'destructive';
  const first = /^\s*\(?\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  // A plain SET of a session setting writes nothing to tables.
  if (READ.has(first) || (first === 'SET' && !/^\s*SET\s+TAG/i.test(text))) return 'read';
  return 'write';
}
