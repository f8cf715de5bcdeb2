import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import { parseSparkConnectUrl, SparkConnectUrlError, type SparkConnectUrl } from './sparkConnectUrl.js';

export type Layer = 'bronze' | 'silver' | 'gold';
export const LAYERS: readonly Layer[] = ['bronze', 'silver', 'gold'];

export interface DatabricksSettings {
  /** Profile name in ~/.databrickscfg; host and credentials are read by the SDK's unified auth. */
  authProfile: string | undefined;
  /** Workspace URL; optional when the auth profile or DATABRICKS_HOST supplies it. */
  host: string | undefined;
  warehouseHttpPath: string;
  /** Volume path where source files land. */
  landing: string;
  /** Workspace folder that deploy uploads the SQL files to. */
  workspaceDir: string;
}

/** A Spark cluster lhctl reaches over Spark Connect (`engine: spark-connect`). */
export interface SparkConnectSettings {
  url: SparkConnectUrl;
  /** The environment variable holding the bearer token; the token itself is never in a profile. */
  tokenEnv: string | undefined;
  /** A PEM file of the CA that signed the cluster's certificate; the system's CA store when absent. */
  caFile: string | undefined;
  /** Where source files land, as the cluster reads them: a path, or s3a://, abfss://, gs://, hdfs:// … */
  landing: string;
}

/** Where the live sources are read from; a source not named here lands as files. */
export interface SourceSettings {
  /** POS sales events stream from this topic into bronze.sales_transactions. */
  kafka?: {
    /** `local` is the broker lhctl runs (`lhctl services start kafka`); otherwise host:port[,host:port]. */
    bootstrapServers: string;
    topic: string;
    /**
     * Databricks: the worker type of the continuous stream job's cluster (e.g. i3.xlarge, Standard_D4ds_v5,
     * n2-highmem-4). Serverless jobs compute runs neither continuous jobs nor interval triggers, so the
     * stream runs on classic jobs compute, whose node types are the cloud's own.
     */
    nodeTypeId?: string;
  };
  /** Orders, customers and inventory pulled over JDBC, incrementally on updated_at. */
  ordersDb?: {
    /** `local` is the PostgreSQL lhctl runs; otherwise a jdbc:postgresql:// URL. */
    url: string;
    user: string;
    /** The environment variable holding the password: the password itself is never in a profile. */
    passwordEnv: string;
    /** The database schema the tables are in. */
    schema: string;
    tables: JdbcSource[];
    /** Databricks: the Lakehouse Federation catalog over the same database (its connection holds the credentials). */
    federatedCatalog: string | undefined;
  };
}

export const JDBC_SOURCES = ['customers', 'inventory', 'orders'] as const;
export type JdbcSource = (typeof JDBC_SOURCES)[number];

export interface Profile {
  name: string;
  engine: 'local' | 'databricks' | 'spark-connect';
  catalog: string;
  schemas: Record<Layer, string>;
  /** Protected profiles are read-only until armed. */
  protected: boolean;
  databricks: DatabricksSettings | undefined;
  sparkConnect?: SparkConnectSettings | undefined;
  /**
   * Who hears about failed job runs; deploy puts them in the jobs' email_notifications. The Slack
   * webhook is an Airflow connection id (never a URL): only the Airflow export uses it.
   */
  notifications: { onFailure: string[]; slackWebhookConnection?: string | undefined };
  sources: SourceSettings;
  /** The file the profile came from, for error messages. */
  file: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Raw = Record<string, unknown>;

class FieldReader {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new ConfigError(`${this.file}: field \`${field}\` ${problem}`, {
      hint: `Fix \`${field}\` in ${this.file}; see profiles/local.yaml and profiles/dev.yaml for the shape.`,
    });
  }

  object(raw: Raw, field: string, path: string): Raw {
    const value = raw[field];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be a mapping');
    return value as Raw;
  }

  string(raw: Raw, field: string, path: string, pattern?: RegExp, patternText?: string): string {
    const value = raw[field];
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'is required and must be a non-empty string');
    if (pattern && !pattern.test(value)) this.fail(path, `${patternText ?? `must match ${pattern}`} (got "${value}")`);
    return value;
  }

  /** A list of strings matching `pattern`; absent means empty. */
  stringList(raw: Raw, field: string, path: string, pattern: RegExp, patternText: string): string[] {
    const value = raw[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'must be a list');
    return value.map((item, i) => {
      if (typeof item !== 'string' || !pattern.test(item)) this.fail(`${path}[${i}]`, `${patternText} (got ${JSON.stringify(item)})`);
      return item;
    });
  }

  optionalString(raw: Raw, field: string, path: string): string | undefined {
    return raw[field] === undefined || raw[field] === null ? undefined : this.string(raw, field, path);
  }

  rejectUnknown(raw: Raw, known: readonly string[], prefix: string): void {
    for (const key of Object.keys(raw)) {
      if (known.includes(key)) continue;
      const near = closestNames(key, known);
      this.fail(prefix + key, `is not a known field${near.length ? ` (did you mean \`${prefix}${near[0]}\`?)` : ''}`);
    }
  }
}

const TOP_FIELDS = ['name', 'engine', 'catalog', 'schemas', 'protected', 'databricks', 'spark_connect', 'notifications', 'sources'] as const;
const ENGINES = ['local', 'databricks', 'spark-connect'] as const;
const SOURCE_FIELDS = ['kafka', 'orders_db'] as const;
const KAFKA_FIELDS = ['bootstrap_servers', 'topic', 'node_type_id'] as const;
const ORDERS_DB_FIELDS = ['url', 'user', 'password_env', 'schema', 'tables', 'federated_catalog'] as const;
const BOOTSTRAP = /^(local|[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*)$/;
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;
const NOTIFICATION_FIELDS = ['on_failure', 'slack_webhook_connection'] as const;
const CONNECTION_ID = /^[A-Za-z0-9_.-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATABRICKS_FIELDS = ['auth_profile', 'host', 'warehouse_http_path', 'landing', 'workspace_dir'] as const;
const SPARK_CONNECT_FIELDS = ['url', 'token_env', 'ca_file', 'landing'] as const;
const LANDING = /^(\/|[a-z][a-z0-9+.-]*:\/\/)\S+$/;

/** Parse and validate one profile file; every error names the file and the field. */
export function parseProfile(text: string, file: string): Profile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new ConfigError(`${file}: not valid YAML: ${first.message.split('\n')[0]}`, { hint: `Fix the YAML syntax in ${file}.` });
  }
  const raw = doc.toJS() as unknown;
  const reader: FieldReader = new FieldReader(file);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) reader.fail('(root)', 'must be a mapping of profile fields');
  const top = raw as Raw;
  reader.rejectUnknown(top, TOP_FIELDS, '');

  const name = reader.string(top, 'name', 'name', /^[a-z][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _');
  const engineText = reader.string(top, 'engine', 'engine');
  const engine = ENGINES.find((e) => e === engineText);
  if (engine === undefined) reader.fail('engine', `must be "local", "databricks" or "spark-connect" (got "${engineText}")`);
  const catalog = reader.string(top, 'catalog', 'catalog', IDENT, 'must be a plain identifier');
  const schemasRaw = reader.object(top, 'schemas', 'schemas');
  reader.rejectUnknown(schemasRaw, LAYERS, 'schemas.');
  const schemas = {} as Record<Layer, string>;
  for (const layer of LAYERS) schemas[layer] = reader.string(schemasRaw, layer, `schemas.${layer}`, IDENT, 'must be a plain identifier');
  const isProtected = top['protected'] ?? false;
  if (typeof isProtected !== 'boolean') reader.fail('protected', 'must be true or false');

  let databricks: DatabricksSettings | undefined;
  if (engine === 'databricks') {
    const d = reader.object(top, 'databricks', 'databricks');
    reader.rejectUnknown(d, DATABRICKS_FIELDS, 'databricks.');
    const host = reader.optionalString(d, 'host', 'databricks.host');
    if (host !== undefined && !/^https:\/\/[^/\s]+\/?$/.test(host)) reader.fail('databricks.host', `must be an https:// workspace URL (got "${host}")`);
    databricks = {
      authProfile: reader.optionalString(d, 'auth_profile', 'databricks.auth_profile'),
      host,
      warehouseHttpPath: reader.string(d, 'warehouse_http_path', 'databricks.warehouse_http_path', /^\/sql\//, 'must be the warehouse HTTP path, starting with /sql/'),
      landing: reader.string(d, 'landing', 'databricks.landing', /^\/Volumes\//, 'must be a Unity Catalog volume path, starting with /Volumes/'),
      workspaceDir: reader.string(d, 'workspace_dir', 'databricks.workspace_dir', /^\//, 'must be an absolute workspace path'),
    };
  } else if (top['databricks'] !== undefined) {
    reader.fail('databricks', 'is only allowed when engine is "databricks"');
  }
  let sparkConnect: SparkConnectSettings | undefined;
  if (engine === 'spark-connect') sparkConnect = parseSparkConnect(reader, reader.object(top, 'spark_connect', 'spark_connect'));
  else if (top['spark_connect'] !== undefined) reader.fail('spark_connect', 'is only allowed when engine is "spark-connect"');
  const notificationsRaw = top['notifications'] === undefined ? {} : reader.object(top, 'notifications', 'notifications');
  reader.rejectUnknown(notificationsRaw, NOTIFICATION_FIELDS, 'notifications.');
  const onFailure = reader.stringList(notificationsRaw, 'on_failure', 'notifications.on_failure', EMAIL, 'must be an email address');
  const slackWebhookConnection =
    notificationsRaw['slack_webhook_connection'] === undefined
      ? undefined
      : reader.string(notificationsRaw, 'slack_webhook_connection', 'notifications.slack_webhook_connection', CONNECTION_ID, 'must be an Airflow connection id (letters, digits, _ . -), not a URL');
  if (basename(file).replace(/\.ya?ml$/, '') !== name) reader.fail('name', `must match the file name (${basename(file)})`);
  if (engine === 'spark-connect' && top['sources'] !== undefined) reader.fail('sources', 'is not supported on a spark-connect env yet: its sources land as files in spark_connect.landing');
  const sources = top['sources'] === undefined ? {} : parseSources(reader, reader.object(top, 'sources', 'sources'), engine);

  return {
    name,
    engine,
    catalog,
    schemas,
    protected: isProtected as boolean,
    databricks,
    ...(sparkConnect ? { sparkConnect } : {}),
    notifications: { onFailure, ...(slackWebhookConnection ? { slackWebhookConnection } : {}) },
    sources,
    file,
  };
}

function parseSparkConnect(reader: FieldReader, raw: Raw): SparkConnectSettings {
  reader.rejectUnknown(raw, SPARK_CONNECT_FIELDS, 'spark_connect.');
  const urlText = reader.string(raw, 'url', 'spark_connect.url');
  let url: SparkConnectUrl;
  try {
    url = parseSparkConnectUrl(urlText);
  } catch (error) {
    // The reason never quotes the URL: a token pasted into it must not reach the terminal.
    if (error instanceof SparkConnectUrlError) reader.fail('spark_connect.url', error.message);
    throw error;
  }
  const tokenEnv =
    raw['token_env'] === undefined ? undefined : reader.string(raw, 'token_env', 'spark_connect.token_env', ENV_VAR, 'must be an environment variable name (the token itself never goes in a profile)');
  const caFile = reader.optionalString(raw, 'ca_file', 'spark_connect.ca_file');
  if (caFile !== undefined && !url.useSsl) reader.fail('spark_connect.ca_file', 'applies only with TLS: add ;use_ssl=true to spark_connect.url');
  const landing = reader.string(raw, 'landing', 'spark_connect.landing', LANDING, 'must be an absolute path or a URL the cluster reads (s3a://, abfss://, gs://, hdfs://, file://)');
  return { url, tokenEnv, caFile, landing };
}

function parseSources(reader: FieldReader, raw: Raw, engine: Profile['engine']): SourceSettings {
  reader.rejectUnknown(raw, SOURCE_FIELDS, 'sources.');
  const sources: SourceSettings = {};
  if (raw['kafka'] !== undefined) {
    const k = reader.object(raw, 'kafka', 'sources.kafka');
    reader.rejectUnknown(k, KAFKA_FIELDS, 'sources.kafka.');
    const bootstrapServers = reader.string(k, 'bootstrap_servers', 'sources.kafka.bootstrap_servers', BOOTSTRAP, 'must be `local` (the broker lhctl runs) or host:port[,host:port]');
    if (bootstrapServers === 'local' && engine !== 'local') reader.fail('sources.kafka.bootstrap_servers', 'can be `local` only on the local engine: name the brokers the workspace reaches');
    const topic = reader.string(k, 'topic', 'sources.kafka.topic', TOPIC, 'must be a Kafka topic name (letters, digits, . _ -)');
    if (engine === 'databricks' && k['node_type_id'] === undefined) {
      reader.fail('sources.kafka.node_type_id', "is required on Databricks: the node type of the stream job's cluster (the workspace's cloud names them)");
    }
    if (engine !== 'databricks' && k['node_type_id'] !== undefined) reader.fail('sources.kafka.node_type_id', 'applies only on Databricks (the stream job cluster)');
    const nodeTypeId =
      k['node_type_id'] === undefined ? undefined : reader.string(k, 'node_type_id', 'sources.kafka.node_type_id', /^[A-Za-z0-9._-]+$/, 'must be a node type id (letters, digits, . _ -)');
    sources.kafka = { bootstrapServers, topic, ...(nodeTypeId ? { nodeTypeId } : {}) };
  }
  if (raw['orders_db'] !== undefined) {
    const o = reader.object(raw, 'orders_db', 'sources.orders_db');
    reader.rejectUnknown(o, ORDERS_DB_FIELDS, 'sources.orders_db.');
    const url = reader.string(o, 'url', 'sources.orders_db.url', /^(local|jdbc:postgresql:\/\/\S+)$/, 'must be `local` (the PostgreSQL lhctl runs) or a jdbc:postgresql:// URL');
    if (url === 'local' && engine !== 'local') reader.fail('sources.orders_db.url', 'can be `local` only on the local engine');
    if (/[?&]password=/i.test(url)) reader.fail('sources.orders_db.url', 'must not carry a password: name the variable that holds it in `sources.orders_db.password_env`');
    const tables = reader.stringList(o, 'tables', 'sources.orders_db.tables', new RegExp(`^(${JDBC_SOURCES.join('|')})$`), `must be one of ${JDBC_SOURCES.join(', ')}`) as JdbcSource[];
    if (tables.length === 0) reader.fail('sources.orders_db.tables', `must list the sources read from the database (${JDBC_SOURCES.join(', ')})`);
    const federatedCatalog = o['federated_catalog'] === undefined ? undefined : reader.string(o, 'federated_catalog', 'sources.orders_db.federated_catalog', IDENT, 'must be a plain identifier');
    if (engine === 'databricks' && !federatedCatalog) reader.fail('sources.orders_db.federated_catalog', 'is required on Databricks: the Lakehouse Federation catalog over the orders database');
    sources.ordersDb = {
      url,
      user: o['user'] === undefined ? 'lhctl' : reader.string(o, 'user', 'sources.orders_db.user'),
      passwordEnv:
        o['password_env'] === undefined
          ? 'LHCTL_ORDERS_DB_PASSWORD'
          : reader.string(o, 'password_env', 'sources.orders_db.password_env', ENV_VAR, 'must be an environment variable name (the password itself never goes in a profile)'),
      schema: o['schema'] === undefined ? 'public' : reader.string(o, 'schema', 'sources.orders_db.schema', IDENT, 'must be a plain identifier'),
      tables,
      federatedCatalog,
    };
  }
  return sources;
}

/** Names of the profiles in a directory. */
export function profileNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

export function loadProfile(dir: string, name: string): Profile {
  const names = profileNames(dir);
  if (!names.includes(name)) {
    const near = closestNames(name, names);
    throw new ConfigError(`no profile "${name}" in ${dir}`, {
      hint: near.length ? `Did you mean --env ${near[0]}? Profiles: ${names.join(', ')}.` : `Profiles: ${names.join(', ') || '(none)'}.`,
    });
  }
  const file = existsSync(join(dir, `${name}.yaml`)) ? join(dir, `${name}.yaml`) : join(dir, `${name}.yml`);
  return parseProfile(readFileSync(file, 'utf8'), file);
}
