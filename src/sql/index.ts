export { SOURCES, type SourceName } from './sources.js';
export { listSqlFiles, loadSql, renderSqlFile, sqlRoot, sqlStatements } from './files.js';
export { isPlainIdentifier, parseQualifiedName, qualifiedName, quoteIdentifier, stringLiteral, validateIdentifier } from './identifiers.js';
export { splitStatements, statementSummary } from './statements.js';
export { renderTemplate, type RenderTarget } from './template.js';
