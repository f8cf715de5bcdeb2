import type { SqlEngine } from '../../engines/engine.js';
import { listRuns, saveRun } from './records.js';

export interface StoppedLeftovers {
  runId: string;
  job: string;
  /** Statements that were still running on the engine and were stopped. */
  stopped: number;
}

/**
 * A run whose process was killed leaves the statements it had sent running on the engine, where they
 * would race the rerun for the same tables. Before a run starts, this stops what the env's interrupted
 * runs left behind (once per run: the record then says when) and reports it. Engines that cannot name
 * another process's sessions have nothing to stop.
 */
export async function stopInterruptedRuns(engine: SqlEngine, home: string, env: string, now = new Date()): Promise<StoppedLeftovers[]> {
  if (!engine.stopSessions) return [];
  const handled: StoppedLeftovers[] = [];
  for (const run of listRuns(home, env)) {
    if (run.state !== 'interrupted' || run.leftoversStoppedAt || !run.sessions?.length) continue;
    const stopped = await engine.stopSessions(run.sessions);
    saveRun(home, { ...run, leftoversStoppedAt: now.toISOString() });
    handled.push({ runId: run.runId, job: run.job, stopped });
  }
  return handled;
}
