import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { closestNames } from '../core/suggest.js';
import { SOURCES } from './sources.js';
import { JDBC_SOURCES } from '../profiles/profile.js';
import { splitStatements } from './split.js';
import { renderTemplate, type RenderTarget } from './template.js';

const SQL_NAME = /^[a-z_]+\/[a-z0-9_]+$/;

export function sqlRoot(): string {
  return join(packageRoot(), 'sql');
}

/** `<layer>/_per_source.sql` stands for one file per landed source, `<layer>/<source>`. */
const PER_SOURCE = '_per_source';
/** `<layer>/_per_jdbc_source.sql` stands for one file per source the orders database can hold, `<layer>/jdbc_<source>`. */
const PER_JDBC_SOURCE = '_per_jdbc_source';

/** Every bundled SQL file by name (`bronze/customers`), sorted; per-source templates are listed per source. */
export function listSqlFiles(): string[] {
  const root = sqlRoot();
  const names: string[] = [];
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(root, folder.name))) {
      if (file === `${PER_SOURCE}.sql`) names.push(...SOURCES.map((source) => `${folder.name}/${source}`));
      else if (file === `${PER_JDBC_SOURCE}.sql`) names.push(...JDBC_SOURCES.map((source) => `${folder.name}/jdbc_${source}`));
      else if (file.endsWith('.sql')) names.push(`${folder.name}/${file.slice(0, -4)}`);
    }
  }
  return names.sort();
}

/** The template text of a bundled SQL file; a source's file is its layer's per-source template for it. */
export function loadSql(name: string): string {
  const [layer = '', file = ''] = name.split('/');
  const path = join(sqlRoot(), `${name}.sql`);
  const perSource = join(sqlRoot(), layer, `${PER_SOURCE}.sql`);
  if (SQL_NAME.test(name) && existsSync(path)) return readFileSync(path, 'utf8');
  if (SQL_NAME.test(name) && (SOURCES as readonly string[]).includes(file) && existsSync(perSource)) {
    return readFileSync(perSource, 'utf8').replaceAll('{{source}}', file);
  }
  const perJdbcSource = join(sqlRoot(), layer, `${PER_JDBC_SOURCE}.sql`);
  const jdbcSource = file.replace(/^jdbc_/, '');
  if (SQL_NAME.test(name) && file.startsWith('jdbc_') && (JDBC_SOURCES as readonly string[]).includes(jdbcSource) && existsSync(perJdbcSource)) {
    return readFileSync(perJdbcSource, 'utf8').replaceAll('{{source}}', jdbcSource);
  }
  const near = closestNames(name, listSqlFiles());
  throw new ConfigError(`no bundled sql file "${name}"`, { hint: near.length ? `Did you mean ${near.join(', ')}?` : `See ${sqlRoot()}.` });
}

/** A bundled file rendered for a target. */
export function renderSqlFile(name: string, target: RenderTarget): string {
  return renderTemplate(loadSql(name), target, `sql/${name}.sql`);
}

/** A bundled file rendered and split into the statements to execute in order. */
export function sqlStatements(name: string, target: RenderTarget): string[] {
  return splitStatements(renderSqlFile(name, target));
}
