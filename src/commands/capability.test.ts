import { describe, expect, it } from 'vitest';
import { requireEngineCapabilities } from './capability.js';
import { historyCommand } from './history.js';
import { sqlCommand } from './sql.js';
import { parseProfile } from '../profiles/profile.js';
import type { SqlEngine } from '../engines/engine.js';
import { clusterCapabilities, versionAtLeast } from '../engines/sparkConnect/index.js';

const CLUSTER = parseProfile(
  'name: cluster\nengine: spark-connect\ncatalog: spark_catalog\nschemas:\n  bronze: b\n  silver: s\n  gold: g\nspark_connect:\n  url: sc://spark.example.com\n  landing: /data/landing\n',
  '/p/cluster.yaml',
);

describe('what a connected cluster can do', () => {
  it('compares Spark versions as the server reports them', () => {
    expect(versionAtLeast('4.2.0', '3.5.0')).toBe(true);
    expect(versionAtLeast('3.5.0', '3.5.0')).toBe(true);
    expect(versionAtLeast('3.5.3-amzn-0', '3.5.0')).toBe(true);
    expect(versionAtLeast('3.4.1', '3.5.0')).toBe(false);
    expect(versionAtLeast('', '3.5.0')).toBe(false);
  });

  it('refuses a command that needs Delta on a cluster without it, naming the feature and how to configure it', () => {
    const engine = { capabilities: clusterCapabilities({ sparkVersion: '4.1.0', delta: false }) } as SqlEngine;
    expect(() => requireEngineCapabilities(historyCommand, CLUSTER, engine)).toThrow('`lhctl history` needs Delta Lake, which the engine of env "cluster" (spark-connect) does not have');
    try {
      requireEngineCapabilities(historyCommand, CLUSTER, engine);
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension');
    }
    expect(() => requireEngineCapabilities(sqlCommand, CLUSTER, engine)).not.toThrow();
    const withDelta = { capabilities: clusterCapabilities({ sparkVersion: '4.1.0', delta: true }) } as SqlEngine;
    expect(() => requireEngineCapabilities(historyCommand, CLUSTER, withDelta)).not.toThrow();
  });
});
