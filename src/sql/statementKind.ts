import { splitStatements } from './split.js';
import { tokenizeSql, type SqlToken } from './sqlTokens.js';

/** What a statement does to the lakehouse, for the safety checks of protected envs. */
export type StatementKind = 'read' | 'write' | 'destructive';

export interface StatementClass {
  kind: StatementKind;
  /** What was recognised, in SQL words, for the refusal message: "INSERT OVERWRITE", "MERGE with THEN DELETE". */
  operation: string;
}

const RANK: Record<StatementKind, number> = { read: 0, write: 1, destructive: 2 };

/** The class of SQL text; several statements take the class of the most dangerous one. */
export function statementKind(text: string): StatementKind {
  return classifyStatement(text).kind;
}

/**
 * Reads a statement from its tokens, never from raw text, so keywords inside strings, quoted names
 * and comments do not count; a WITH clause is followed to the statement it prefixes. Whatever is
 * not recognised, or cannot be tokenised, is destructive: the gate fails closed.
 */
export function classifyStatement(text: string): StatementClass {
  const tokens = tokenizeSql(text);
  const broken = tokens.find((t) => t.unterminated);
  if (broken) return destructive(`unreadable statement (unterminated ${broken.text.slice(0, 2)}…)`);
  const code = tokens.filter((t) => t.type !== 'comment');
  if (code.some((t) => isSymbol(t, ';'))) return worst(splitStatements(text).map(classifyStatement));
  if (!balanced(code)) return destructive('unreadable statement (unbalanced parentheses)');
  return worst([sideEffects(code), classifyTokens(code)]);
}

function read(operation: string): StatementClass {
  return { kind: 'read', operation };
}
function write(operation: string): StatementClass {
  return { kind: 'write', operation };
}
function destructive(operation: string): StatementClass {
  return { kind: 'destructive', operation };
}

function worst(classes: readonly StatementClass[]): StatementClass {
  return classes.reduce((a, b) => (RANK[b.kind] > RANK[a.kind] ? b : a), read('nothing to run'));
}

const isSymbol = (t: SqlToken | undefined, symbol: string): boolean => t?.type === 'symbol' && t.text === symbol;
const isWord = (t: SqlToken | undefined, ...words: string[]): boolean => t?.type === 'word' && words.includes(t.upper);
const isName = (t: SqlToken | undefined): boolean => t?.type === 'word' || t?.type === 'quotedName';

function balanced(tokens: readonly SqlToken[]): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (isSymbol(t, '(')) depth++;
    else if (isSymbol(t, ')') && --depth < 0) return false;
  }
  return depth === 0;
}

/** Index of the `)` closing the `(` at `open` (the tokens are balanced). */
function closing(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isSymbol(tokens[i], '(')) depth++;
    else if (isSymbol(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length;
}

/** The tokens outside any parentheses: a MERGE's clauses, not the words of its source query. */
function topLevel(tokens: readonly SqlToken[]): SqlToken[] {
  const top: SqlToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (isSymbol(t, ')')) depth--;
    if (depth === 0) top.push(t);
    if (isSymbol(t, '(')) depth++;
  }
  return top;
}

const hasSequence = (tokens: readonly SqlToken[], first: string, ...then: string[]): boolean => tokens.some((t, i) => isWord(t, first) && isWord(tokens[i + 1], ...then));

/** Things any statement can do on the engine beyond its tables, at any depth. */
function sideEffects(tokens: readonly SqlToken[]): StatementClass {
  for (const [i, t] of tokens.entries()) {
    // Hive's SELECT TRANSFORM (…) USING 'script' (and MAP/REDUCE) runs a program on the engine's host.
    if (isWord(t, 'USING') && tokens[i + 1]?.type === 'string') return destructive('TRANSFORM … USING a script');
    if (isWord(t, 'REFLECT', 'TRY_REFLECT', 'JAVA_METHOD') && isSymbol(tokens[i + 1], '(')) return destructive(`${t.upper}(): calls Java methods on the engine`);
  }
  return read('nothing beyond its tables');
}

function classifyTokens(tokens: readonly SqlToken[]): StatementClass {
  const [first, second] = tokens;
  if (!first) return destructive('empty statement');
  if (isSymbol(first, '(')) {
    // A parenthesised query, maybe followed by UNION (…), ORDER BY, LIMIT.
    const inner = classifyTokens(tokens.slice(1, closing(tokens, 0)));
    return inner.kind === 'read' ? query(tokens, inner.operation) : inner;
  }
  if (first.type !== 'word') return destructive('unrecognised statement');
  switch (first.upper) {
    case 'WITH':
      return withClause(tokens);
    case 'SELECT':
    case 'VALUES':
    case 'TABLE':
    case 'FROM':
      return query(tokens, first.upper);
    case 'SHOW':
    case 'DESCRIBE':
    case 'DESC':
    case 'LIST':
    case 'USE':
    case 'RESET':
    // Session variables and the engine's cache hold no stored data.
    case 'DECLARE':
    case 'CACHE':
    case 'UNCACHE':
    case 'CLEAR':
      return read(first.upper);
    case 'EXPLAIN':
      // EXPLAIN only plans its statement; an EXPLAIN ANALYZE would run it (ANALYZE TABLE is itself explained).
      if (isWord(second, 'ANALYZE') && !isWord(tokens[2], 'TABLE', 'TABLES')) return classifyTokens(tokens.slice(2));
      return read('EXPLAIN');
    case 'SET':
      return setStatement(tokens);
    case 'REFRESH':
      // REFRESH TABLE|FUNCTION|'path' drops cached metadata; REFRESH MATERIALIZED VIEW recomputes stored data.
      return isWord(second, 'TABLE', 'FUNCTION') || second?.type === 'string' ? read(`REFRESH ${second!.type === 'string' ? 'path' : second!.upper}`) : write(`REFRESH ${second?.upper ?? ''}`.trim());
    case 'INSERT':
      return insert(tokens);
    case 'MERGE':
      return hasSequence(topLevel(tokens), 'THEN', 'DELETE') ? destructive('MERGE with a WHEN … THEN DELETE clause') : write('MERGE');
    // UPDATE changes rows in place, as a MERGE's update clause does: a write, like a MERGE without DELETE.
    case 'UPDATE':
    case 'OPTIMIZE':
    case 'REORG':
    case 'MSCK':
    case 'REPAIR':
    case 'COPY':
    case 'ANALYZE':
    case 'COMMENT':
    case 'CONVERT':
    case 'UNDROP':
    case 'SYNC':
    case 'GENERATE':
      return write(first.upper);
    case 'LOAD':
      return topLevel(tokens).some((t) => isWord(t, 'OVERWRITE')) ? destructive('LOAD DATA … OVERWRITE') : write('LOAD DATA');
    case 'DELETE':
    case 'TRUNCATE':
    case 'RESTORE':
    case 'VACUUM':
    case 'GRANT':
    case 'REVOKE':
    case 'FSCK':
      return destructive(first.upper);
    case 'DROP':
      // Temporary objects live in the session only.
      return isWord(second, 'TEMPORARY') && isWord(tokens[2], 'VIEW', 'VARIABLE', 'FUNCTION') ? read(`DROP TEMPORARY ${tokens[2]!.upper}`) : destructive('DROP');
    case 'CREATE':
      return create(tokens);
    case 'REPLACE':
      return destructive('REPLACE TABLE');
    case 'ALTER':
      return alter(tokens);
    case 'EXECUTE':
      return destructive('EXECUTE IMMEDIATE (the statement it runs is known only when it runs)');
    case 'ADD':
      return destructive('ADD JAR|FILE|ARCHIVE (loads code onto the engine)');
    default:
      return destructive(`unrecognised statement (${first.upper})`);
  }
}

/** A query, unless a FROM-first statement hides INSERTs in it (`FROM s INSERT OVERWRITE t SELECT …`). */
function query(tokens: readonly SqlToken[], operation: string): StatementClass {
  const top = topLevel(tokens);
  if (hasSequence(top, 'INSERT', 'OVERWRITE')) return destructive('INSERT OVERWRITE');
  if (top.some((t) => isWord(t, 'INSERT'))) return write('INSERT INTO');
  return read(operation);
}

/** WITH [RECURSIVE] name [(columns)] [AS] (query) [MAX RECURSION LEVEL n], … then the statement they prefix. */
function withClause(tokens: readonly SqlToken[]): StatementClass {
  const bodies: StatementClass[] = [];
  let i = isWord(tokens[1], 'RECURSIVE') ? 2 : 1;
  for (;;) {
    if (!isName(tokens[i])) return destructive('unreadable WITH clause');
    i++;
    if (isSymbol(tokens[i], '(')) {
      const end = closing(tokens, i);
      // `name (a, b) AS (…)` has a column list; in `name (…)` (AS left out) the group is the query.
      if (isWord(tokens[end + 1], 'AS') || isSymbol(tokens[end + 1], '(')) i = end + 1;
    }
    if (isWord(tokens[i], 'AS')) i++;
    if (!isSymbol(tokens[i], '(')) return destructive('unreadable WITH clause');
    const end = closing(tokens, i);
    bodies.push(classifyTokens(tokens.slice(i + 1, end)));
    i = end + 1;
    if (isWord(tokens[i], 'MAX') && isWord(tokens[i + 1], 'RECURSION')) i += 4;
    if (!isSymbol(tokens[i], ',')) break;
    i++;
  }
  const main = classifyTokens(tokens.slice(i));
  const result = worst([main, ...bodies]);
  return { kind: result.kind, operation: `${result.operation} after a WITH clause` };
}

function insert(tokens: readonly SqlToken[]): StatementClass {
  if (isWord(tokens[1], 'OVERWRITE')) return destructive('INSERT OVERWRITE');
  // INSERT INTO t REPLACE WHERE|USING|ON … deletes the rows it replaces (a replace() call is followed by "(").
  if (hasSequence(topLevel(tokens), 'REPLACE', 'WHERE', 'USING', 'ON')) return destructive('INSERT INTO … REPLACE');
  return query(tokens, 'INSERT INTO');
}

const CREATE_MODIFIERS = new Set(['GLOBAL', 'TEMPORARY', 'TEMP', 'EXTERNAL', 'MATERIALIZED', 'STREAMING', 'LIVE']);

function create(tokens: readonly SqlToken[]): StatementClass {
  const orReplace = isWord(tokens[1], 'OR') && isWord(tokens[2], 'REPLACE');
  let i = orReplace ? 3 : 1;
  const modifiers = new Set<string>();
  while (tokens[i]?.type === 'word' && CREATE_MODIFIERS.has(tokens[i]!.upper)) modifiers.add(tokens[i++]!.upper);
  const object = tokens[i]?.upper ?? '';
  const temporary = modifiers.has('TEMPORARY') || modifiers.has('TEMP');
  // A temporary view names a query for this session only: no stored data or catalog entry changes, even
  // when replaced. A global one is seen by every session on the server, so it is a write, still storing nothing.
  if (temporary && object === 'VIEW') {
    const operation = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${[...modifiers].join(' ')} VIEW`;
    return modifiers.has('GLOBAL') ? write(operation) : read(operation);
  }
  // Replacing a table drops the rows it held; replacing a view changes what its readers get.
  if (orReplace) return destructive(`CREATE OR REPLACE ${object}`.trim());
  return write(`CREATE ${[...modifiers, object].join(' ')}`.trim());
}

function alter(tokens: readonly SqlToken[]): StatementClass {
  const top = topLevel(tokens);
  const object = tokens[1]?.upper ?? '';
  if (top.some((t) => isWord(t, 'DROP'))) return destructive(`ALTER ${object} … DROP`);
  if (hasSequence(top, 'REPLACE', 'COLUMNS')) return destructive(`ALTER ${object} … REPLACE COLUMNS`);
  // Ownership and shares decide who can read the data, as GRANT does.
  if (top.some((t) => isWord(t, 'OWNER'))) return destructive(`ALTER ${object} … OWNER`);
  if (object === 'SHARE' || object === 'RECIPIENT') return destructive(`ALTER ${object}`);
  return write(`ALTER ${object}`.trim());
}

/** SET of a session setting or variable: a read. Anything else that starts with SET (SET TAG …) is unknown. */
function setStatement(tokens: readonly SqlToken[]): StatementClass {
  const rest = tokens.slice(1);
  if (rest.length === 0 || (isSymbol(rest[0], '-') && isWord(rest[1], 'V') && rest.length === 2)) return read('SET');
  if (isWord(rest[0], 'VAR', 'VARIABLE')) return read('SET VARIABLE');
  if (isWord(rest[0], 'TIME') && isWord(rest[1], 'ZONE')) return read('SET TIME ZONE');
  if (isWord(rest[0], 'CATALOG', 'SCHEMA', 'DATABASE') && rest.length === 2) return read(`SET ${rest[0]!.upper}`);
  // A setting's key is written without spaces (spark.sql.ansi.enabled, `a-b`), then ends or is followed by =.
  let keyEnd = 1;
  while (keyEnd < rest.length && rest[keyEnd]!.start === rest[keyEnd - 1]!.end && !isSymbol(rest[keyEnd], '=')) keyEnd++;
  const key = rest.slice(0, keyEnd);
  if (key.every((t) => isName(t) || t.type === 'string' || isSymbol(t, '.') || isSymbol(t, '-')) && (keyEnd === rest.length || isSymbol(rest[keyEnd], '='))) {
    return read('SET');
  }
  return destructive(`SET ${rest[0]!.upper} (not a session setting)`);
}
