import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { parseProfile } from './profile.js';
import { parseSparkConnectUrl } from './sparkConnectUrl.js';

const CLUSTER = [
  'name: cluster',
  'engine: spark-connect',
  'catalog: spark_catalog',
  'schemas:',
  '  bronze: cluster_bronze',
  '  silver: cluster_silver',
  '  gold: cluster_gold',
  'spark_connect:',
  '  url: sc://spark.example.com:443/;use_ssl=true;user_id=etl;x-route=blue',
  '  token_env: SPARK_CONNECT_TOKEN',
  '  ca_file: /etc/ssl/corp-ca.pem',
  '  landing: s3a://retail-landing/cluster',
  '',
].join('\n');

function messageOf(text: string): string {
  try {
    parseProfile(text, '/p/cluster.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Spark Connect connection strings', () => {
  it('read host, port, TLS, user and extra headers as the connection string defines them', () => {
    expect(parseSparkConnectUrl('sc://spark.example.com')).toEqual({ host: 'spark.example.com', port: 15002, useSsl: false, userId: undefined, userAgent: undefined, headers: {} });
    expect(parseSparkConnectUrl('sc://10.0.0.7:443/;use_ssl=true;user_id=etl;X-Route=blue;session_id=ignored')).toEqual({
      host: '10.0.0.7',
      port: 443,
      useSsl: true,
      userId: 'etl',
      userAgent: undefined,
      headers: { 'x-route': 'blue' },
    });
  });

  it('refuse a token in the URL without repeating it, and other malformed strings', () => {
    const error = (() => {
      try {
        parseSparkConnectUrl('sc://h:15002/;token=s3cr3t-value');
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(error).toContain('must not carry a token');
    expect(error).not.toContain('s3cr3t');
    expect(() => parseSparkConnectUrl('http://h:15002')).toThrow(/sc:\/\/host/);
    expect(() => parseSparkConnectUrl('sc://h:99999')).toThrow(/outside 1-65535/);
    expect(() => parseSparkConnectUrl('sc://h:1/path')).toThrow(/empty path/);
    expect(() => parseSparkConnectUrl('sc://h/;use_ssl=yes')).toThrow(/true or false/);
  });
});

describe('spark-connect profiles', () => {
  it('load the cluster, its token variable, CA file and landing', () => {
    expect(parseProfile(CLUSTER, '/p/cluster.yaml')).toMatchObject({
      engine: 'spark-connect',
      sparkConnect: {
        url: { host: 'spark.example.com', port: 443, useSsl: true, userId: 'etl' },
        tokenEnv: 'SPARK_CONNECT_TOKEN',
        caFile: '/etc/ssl/corp-ca.pem',
        landing: 's3a://retail-landing/cluster',
      },
    });
  });

  it('name the file and the field of every mistake, never echoing a token', () => {
    expect(messageOf(CLUSTER.replace(';user_id=etl', ';token=abcd1234secret'))).toBe(
      '/p/cluster.yaml: field `spark_connect.url` must not carry a token: put it in an environment variable and name that variable in `spark_connect.token_env`',
    );
    expect(messageOf(CLUSTER.replace('SPARK_CONNECT_TOKEN', 'abcd-1234'))).toContain('field `spark_connect.token_env` must be an environment variable name');
    expect(messageOf(CLUSTER.replace(';use_ssl=true', ''))).toContain('field `spark_connect.ca_file` applies only with TLS');
    expect(messageOf(CLUSTER.replace('s3a://retail-landing/cluster', 'landing'))).toContain('field `spark_connect.landing` must be an absolute path or a URL');
    expect(messageOf(CLUSTER.replace('spark_connect:', 'spark_connectt:'))).toContain('field `spark_connectt` is not a known field (did you mean `spark_connect`?)');
    expect(messageOf(CLUSTER.replace('engine: spark-connect', 'engine: local'))).toContain('field `spark_connect` is only allowed when engine is "spark-connect"');
    expect(messageOf(`${CLUSTER}sources:\n  kafka:\n    bootstrap_servers: b:9092\n    topic: t\n`)).toContain('field `sources` is not supported on a spark-connect env yet');
  });
});
