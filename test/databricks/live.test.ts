/**
 * LIVE Databricks suite, opt-in: runs only with LHCTL_LIVE_DATABRICKS=1 and real credentials for
 * the env in LHCTL_LIVE_ENV (default dev; never a protected env). It runs the engine behaviours
 * of the contract suite against the real SQL warehouse, then a deploy/run round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, QueryError } from '../../src/core/errors.js';
import { deployCommandWith } from '../../src/commands/deploy.js';
import { runOnWorkspace } from '../../src/commands/remoteRun.js';
import { queryRecords, queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { openDatabricksEngine } from '../../src/engines/databricks/index.js';
import { loadProfile, type Profile } from '../../src/profiles/profile.js';
import { readSettings, type Settings } from '../../src/profiles/settings.js';
import { commandContext } from './support/contractWorkspace.js';

const LIVE = process.env['LHCTL_LIVE_DATABRICKS'] === '1';

describe.runIf(LIVE)('LIVE Databricks workspace (LHCTL_LIVE_DATABRICKS=1)', () => {
  let settings: Settings;
  let profile: Profile;
  let engine: SqlEngine;

  beforeAll(async () => {
    settings = readSettings(process.env);
    profile = loadProfile(settings.profilesDir, process.env['LHCTL_LIVE_ENV'] ?? 'dev');
    if (profile.protected) throw new Error(`the live suite refuses protected env ${profile.name}`);
    engine = await openDatabricksEngine(settings, profile);
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('maps warehouse types to lhctl values', async () => {
    const [row] = await queryRecords(
      engine,
      "SELECT CAST(9007199254740993 AS BIGINT) AS big, CAST(12.50 AS DECIMAL(10,2)) AS amount, TIMESTAMP'2026-11-01 09:15:00.123456' AS at, DATE'2026-11-01' AS day, 'x' AS s, 2 AS i",
    );
    expect(row).toEqual({ big: 9007199254740993n, amount: '12.50', at: expect.stringMatching(/^2026-11-01T09:15:00\.123(456)?Z$/), day: '2026-11-01', s: 'x', i: 2 });
  });

  it('streams a large result in batches', async () => {
    const result = await engine.execute('SELECT id FROM range(0, 250000)');
    let rows = 0;
    let batches = 0;
    for await (const batch of result) {
      rows += batch.length;
      batches += 1;
    }
    expect(rows).toBe(250000);
    expect(batches).toBeGreaterThan(1);
  });

  it('reports a missing table as a QueryError of kind table-not-found', async () => {
    const failure = await queryRows(engine, `SELECT * FROM ${profile.catalog}.${profile.schemas.gold}.lhctl_live_missing`).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QueryError);
    expect((failure as QueryError).kind).toBe('table-not-found');
  });

  it('cancels a running statement and stays usable', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 3000);
    const outcome = await (async () => {
      const result = await engine.execute('SELECT sum(hash(id)) FROM range(0, 200000000000)', { signal: controller.signal });
      for await (const _ of result) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CancelledError);
    expect((await queryRows(engine, 'SELECT 41 + 1')).rows).toEqual([[42]]);
  });

  it(
    'deploys, finds nothing to change on a second deploy, and runs the quality job to a terminal state',
    async () => {
      // A separate env tag and folder, so the round trip never touches the real dev jobs or SQL.
      const scratch: Profile = { ...profile, name: `${profile.name}-live-suite`, databricks: { ...profile.databricks!, workspaceDir: `${profile.databricks!.workspaceDir}/live-suite` } };
      const { ctx } = commandContext(settings, { profile: scratch });
      const deploy = deployCommandWith((_profile, name) => `-- lhctl live suite placeholder for ${name}\nSELECT 1;\n`);
      await deploy.run(ctx, { positionals: [], options: {} });
      const again = await deploy.run(ctx, { positionals: [], options: {} });
      expect(again.data).toMatchObject({ kind: 'message', text: expect.stringContaining('up to date') });
      const outcome = await runOnWorkspace(ctx, 'quality', { wait: true, follow: { pollIntervalMs: 10_000, timeoutMs: 30 * 60_000 } });
      expect(outcome.exitCode).toBe(0);
    },
    40 * 60_000,
  );
});
