import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type SqlEngine } from '../../src/engines/engine.js';
import { stopInterruptedRuns } from '../../src/pipelines/runner/leftovers.js';
import { listRuns, saveRun, type RunRecord } from '../../src/pipelines/runner/records.js';
import { sharedEngine } from '../support/engine.js';

const SLOW = 'SELECT sum(hash(id)) FROM range(0, 200000000000)';

/** The record a killed `lhctl run` leaves: still `running`, its process gone, its engine sessions named. */
function killedRunRecord(sessions: string[]): RunRecord {
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  return {
    runId: '20261126T000000Z-transformation-dead',
    job: 'retail_transformation_pipeline',
    env: 'local',
    state: 'running',
    startedAt: new Date().toISOString(),
    endedAt: null,
    selection: { only: null, from: null },
    pid: deadPid,
    sessions,
    tasks: [],
  };
}

describe('statements a killed run left running on the local engine', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await sharedEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it("are stopped before the env's next run, once, and the run record says when", async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-leftovers-'));
    const orphan = await engine.separateSession!();
    // Sent and never read, as by a process that then died.
    const leftover = (async () => {
      for await (const _ of await orphan.execute(SLOW)) {
        // drain
      }
      return 'finished';
    })().catch((error: Error) => error.message);
    saveRun(home, killedRunRecord([orphan.sessionId!]));
    await new Promise((resolve) => setTimeout(resolve, 3000));

    expect(await stopInterruptedRuns(engine, home, 'local')).toEqual([{ runId: '20261126T000000Z-transformation-dead', job: 'retail_transformation_pipeline', stopped: 1 }]);
    expect(await leftover).toMatch(/cancel/i);
    expect(listRuns(home, 'local')[0]).toMatchObject({ state: 'interrupted', leftoversStoppedAt: expect.any(String) });
    // Handled once: the next run finds nothing left to stop, and the engine is as usable as before.
    expect(await stopInterruptedRuns(engine, home, 'local')).toEqual([]);
    expect((await queryRows(engine, 'SELECT 6 * 7')).rows).toEqual([[42]]);
    await orphan.close();
  }, 60_000);

  it('a run whose sessions the restarted engine no longer has counts nothing as stopped', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lhctl-leftovers-'));
    saveRun(home, killedRunRecord(['6f1d2c0e-0000-4000-8000-000000000000']));
    expect(await stopInterruptedRuns(engine, home, 'local')).toEqual([{ runId: '20261126T000000Z-transformation-dead', job: 'retail_transformation_pipeline', stopped: 0 }]);
  });
});
