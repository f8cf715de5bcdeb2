import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { loadProfile, parseProfile } from './profile.js';

const LOCAL = 'name: local\nengine: local\ncatalog: spark_catalog\nschemas:\n  bronze: local_bronze\n  silver: local_silver\n  gold: local_gold\n';

function errorOf(text: string, file = '/p/local.yaml'): ConfigError {
  try {
    parseProfile(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('profiles', () => {
  it('loads every bundled profile', () => {
    const dir = join(packageRoot(), 'profiles');
    const names = readdirSync(dir).map((f) => f.replace('.yaml', ''));
    expect(names.sort()).toEqual(['dev', 'live', 'local', 'prod', 'qa']);
    expect(loadProfile(dir, 'local')).toMatchObject({ engine: 'local', catalog: 'spark_catalog', schemas: { gold: 'local_gold' }, protected: false });
    expect(loadProfile(dir, 'prod')).toMatchObject({ engine: 'databricks', catalog: 'retail_datalake', schemas: { gold: 'prod_gold' }, protected: true });
    for (const name of names) expect(readFileSync(join(dir, `${name}.yaml`), 'utf8')).not.toMatch(/dapi[0-9a-f]{8,}|^\s*(token|client_secret|password)\s*:/im);
  });

  it('names the file and the field of every mistake', () => {
    expect(errorOf(LOCAL.replace('local_gold', 'local-gold')).message).toBe('/p/local.yaml: field `schemas.gold` must be a plain identifier (got "local-gold")');
    expect(errorOf(LOCAL.replace('engine: local', 'engine: spark')).message).toContain('field `engine` must be "local", "databricks" or "spark-connect"');
    expect(errorOf(LOCAL.replace('catalog: spark_catalog\n', '')).message).toContain('field `catalog` is required');
    expect(errorOf(LOCAL + 'protectd: true\n').message).toBe('/p/local.yaml: field `protectd` is not a known field (did you mean `protected`?)');
    expect(errorOf(LOCAL, '/p/other.yaml').message).toContain('field `name` must match the file name');
    expect(errorOf('name: [unclosed').message).toMatch(/^\/p\/local.yaml: not valid YAML/);
  });

  it('reads the live sources of an env, and names the field of every mistake in them', () => {
    const live = loadProfile(join(packageRoot(), 'profiles'), 'live');
    expect(live.sources).toEqual({
      kafka: { bootstrapServers: 'local', topic: 'retail.pos.sales_transactions' },
      ordersDb: { url: 'local', user: 'lhctl', passwordEnv: 'LHCTL_ORDERS_DB_PASSWORD', schema: 'public', tables: ['customers', 'inventory', 'orders'], federatedCatalog: undefined },
    });
    expect(loadProfile(join(packageRoot(), 'profiles'), 'local').sources).toEqual({});
    const sources = (body: string): string => `${LOCAL}sources:\n${body}`;
    expect(errorOf(sources('  kafka:\n    bootstrap_servers: broker one\n    topic: t\n')).message).toContain('field `sources.kafka.bootstrap_servers` must be `local`');
    expect(errorOf(sources('  kafka:\n    bootstrap_servers: local\n')).message).toContain('field `sources.kafka.topic` is required');
    expect(errorOf(sources('  kafak:\n    topic: t\n')).message).toContain('field `sources.kafak` is not a known field (did you mean `sources.kafka`?)');
    expect(errorOf(sources('  orders_db:\n    url: jdbc:postgresql://db:5432/orders?password=hunter2\n    tables: [orders]\n')).message).toContain(
      'field `sources.orders_db.url` must not carry a password',
    );
    expect(errorOf(sources('  orders_db:\n    url: local\n    tables: [payments]\n')).message).toContain('field `sources.orders_db.tables[0]` must be one of customers, inventory, orders');
    expect(errorOf(sources('  orders_db:\n    url: local\n    password_env: hunter2\n    tables: [orders]\n')).message).toContain(
      'field `sources.orders_db.password_env` must be an environment variable name',
    );
    const dev = readFileSync(join(packageRoot(), 'profiles', 'dev.yaml'), 'utf8');
    expect(errorOf(`${dev}sources:\n  orders_db:\n    url: jdbc:postgresql://db:5432/orders\n    tables: [orders]\n`, '/p/dev.yaml').message).toContain(
      'field `sources.orders_db.federated_catalog` is required on Databricks',
    );
    expect(errorOf(`${dev}sources:\n  kafka:\n    bootstrap_servers: local\n    topic: t\n`, '/p/dev.yaml').message).toContain('can be `local` only on the local engine');
  });

  it('checks the Databricks settings of a workspace profile', () => {
    const dev = readFileSync(join(packageRoot(), 'profiles', 'dev.yaml'), 'utf8');
    expect(errorOf(dev.replace('/sql/1.0/warehouses/dev-warehouse', 'warehouses/x'), '/p/dev.yaml').message).toContain('field `databricks.warehouse_http_path` must be the warehouse HTTP path');
    expect(errorOf(dev.replace('  workspace_dir: /Shared/lhctl/dev\n', '  host: http://insecure.example\n  workspace_dir: /Shared/lhctl/dev\n'), '/p/dev.yaml').message).toContain(
      'field `databricks.host` must be an https://',
    );
  });

  it('reads the failure recipients, and names the entry that is not an address', () => {
    expect(loadProfile(join(packageRoot(), 'profiles'), 'prod').notifications.onFailure).toEqual(['lakehouse-oncall@example.com']);
    expect(loadProfile(join(packageRoot(), 'profiles'), 'dev').notifications.onFailure).toEqual([]);
    const notify = (list: string): string => `${LOCAL}notifications:\n  on_failure: ${list}\n`;
    expect(parseProfile(notify('[a@example.com, b@example.org]'), '/p/local.yaml').notifications.onFailure).toEqual(['a@example.com', 'b@example.org']);
    expect(errorOf(notify('[a@example.com, oncall]')).message).toBe('/p/local.yaml: field `notifications.on_failure[1]` must be an email address (got "oncall")');
    expect(errorOf(notify('a@example.com')).message).toContain('field `notifications.on_failure` must be a list');
    expect(errorOf(`${LOCAL}notifications:\n  on_failre: []\n`).message).toContain('(did you mean `notifications.on_failure`?)');
  });

  it('suggests the closest profile for a wrong --env', () => {
    const error = (() => {
      try {
        loadProfile(join(packageRoot(), 'profiles'), 'prd');
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected an error');
    })();
    expect(error.hint).toContain('Did you mean --env prod?');
  });
});
