import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { loadProfile } from '../profiles/profile.js';
import { listSqlFiles, renderSqlFile, sqlStatements } from './files.js';
import { parseQualifiedName, qualifiedName, quoteIdentifier, validateIdentifier } from './identifiers.js';
import { renderTemplate } from './template.js';

const profilesDir = join(packageRoot(), 'profiles');
const profiles = readdirSync(profilesDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => loadProfile(profilesDir, f.replace(/\.yaml$/, '')));
const PIPELINE_FOLDERS = ['bronze', 'silver', 'gold', 'quality'];

describe('bundled pipeline SQL', () => {
  const files = listSqlFiles().filter((name) => PIPELINE_FOLDERS.includes(name.split('/')[0]!));

  it('has every layer', () => {
    for (const folder of PIPELINE_FOLDERS) expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
  });

  for (const profile of profiles) {
    it(`renders every file for profile ${profile.name}`, () => {
      const landing = profile.databricks?.landing ?? '/home/op/.lhctl/local/landing';
      for (const name of files) {
        const sql = renderSqlFile(name, { profile, landing });
        expect(sql, name).not.toMatch(/\{\{|\}\}/);
        expect(sqlStatements(name, { profile, landing }).length, name).toBeGreaterThan(0);
        if (name.startsWith('bronze/') && name !== 'bronze/setup') {
          expect(sql, name).toContain(profile.engine === 'databricks' ? `read_files('${landing}/` : '`text`.`/home/op/.lhctl/local/landing/');
        }
        for (const layer of ['bronze', 'silver', 'gold'] as const) {
          if (sql.includes(`${profile.schemas[layer]}\``)) expect(sql, name).toContain(`\`${profile.catalog}\`.\`${profile.schemas[layer]}\``);
        }
      }
    });
  }
});

describe('renderTemplate', () => {
  const profile = profiles.find((p) => p.name === 'local')!;

  it('refuses an unknown placeholder, naming the file', () => {
    expect(() => renderTemplate('SELECT * FROM {{platinum}}.t', { profile, landing: '/x' }, 'sql/gold/x.sql')).toThrow(ConfigError);
    expect(() => renderTemplate('SELECT * FROM {{platinum}}.t', { profile, landing: '/x' }, 'sql/gold/x.sql')).toThrow(/sql\/gold\/x\.sql: unknown placeholder \{\{platinum\}\}/);
    expect(() => renderTemplate('SELECT {{landing:Bad-Name}}', { profile, landing: '/x' })).toThrow(ConfigError);
  });

  it('quotes schema names and reads landed files directly on the local engine', () => {
    expect(renderTemplate('{{catalog}}.{{silver}}.t / {{env}} / {{landing:orders}}', { profile, landing: '/l' })).toBe('`spark_catalog`.`local_silver`.t / local / `text`.`/l/orders/*/*`');
  });
});

describe('identifiers', () => {
  it('quotes, validates and parses names', () => {
    expect(quoteIdentifier('a`b')).toBe('`a``b`');
    expect(qualifiedName('spark_catalog', 'local_gold', 'fact_sales')).toBe('`spark_catalog`.`local_gold`.`fact_sales`');
    expect(() => validateIdentifier('x; DROP TABLE y')).toThrow(UsageError);
    expect(parseQualifiedName('`local_gold`.fact_sales')).toEqual(['local_gold', 'fact_sales']);
    expect(() => parseQualifiedName('a.b.c.d')).toThrow(UsageError);
  });
});
