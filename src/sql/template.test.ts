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

describe('the pulls from the orders database', () => {
  const live = profiles.find((p) => p.name === 'live')!;
  const qa = profiles.find((p) => p.name === 'qa')!;

  it('read the JDBC catalog locally and the federated catalog on Databricks, never with credentials in the SQL', () => {
    const local = renderSqlFile('bronze/jdbc_customers', { profile: live, landing: '/l' });
    expect(local).toContain('FROM `lhctl_orders_db`.`public`.`customers`');
    expect(local).toContain("'row_key', 'batch', 'updated_at'");
    expect(local).not.toMatch(/password|jdbc:postgresql/i);
    const federated = { ...qa, sources: { ordersDb: { ...live.sources.ordersDb!, url: 'jdbc:postgresql://orders.internal:5432/retail_orders', federatedCatalog: 'orders_pg' } } };
    expect(renderSqlFile('bronze/jdbc_orders', { profile: federated, landing: '/Volumes/x' })).toContain('FROM `orders_pg`.`public`.`orders`');
    expect(renderSqlFile('bronze/jdbc_orders', { profile: live, landing: '/l' })).toContain("'items', try_parse_json(`items`)");
  });

  it('are an error naming the file in an env without an orders database', () => {
    expect(() => renderSqlFile('bronze/jdbc_customers', { profile: qa, landing: '/Volumes/x' })).toThrow(/sql\/bronze\/jdbc_customers\.sql: unknown placeholder \{\{orders_db:customers\}\}/);
  });
});

describe('bundled pipeline SQL', () => {
  const files = listSqlFiles().filter((name) => PIPELINE_FOLDERS.includes(name.split('/')[0]!));

  it('has every layer', () => {
    for (const folder of PIPELINE_FOLDERS) expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
  });

  /** The pulls from the orders database render only for an env that names one. */
  const renders = (profile: (typeof profiles)[number], name: string): boolean => !name.startsWith('bronze/jdbc_') || profile.sources.ordersDb !== undefined;

  for (const profile of profiles) {
    it(`renders every file for profile ${profile.name}`, () => {
      const landing = profile.databricks?.landing ?? '/home/op/.lhctl/local/landing';
      for (const name of files.filter((f) => renders(profile, f))) {
        const sql = renderSqlFile(name, { profile, landing });
        expect(sql, name).not.toMatch(/\{\{|\}\}/);
        expect(sqlStatements(name, { profile, landing }).length, name).toBeGreaterThan(0);
        if (name.startsWith('bronze/') && name !== 'bronze/setup' && !name.startsWith('bronze/jdbc_') && name !== 'bronze/stream_sales_transactions') {
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
