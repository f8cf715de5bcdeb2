import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeStatement, type SqlEngine } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import { runPipelineJob } from '../src/pipelines/execute.js';
import { landNextBatches } from '../src/pipelines/landed.js';
import { pipelineTarget } from '../src/pipelines/landing.js';
import type { RunRecord } from '../src/pipelines/runner/records.js';
import { loadProfile } from '../src/profiles/profile.js';
import { readSettings } from '../src/profiles/settings.js';
import { HOME, row } from './support.js';

/**
 * What one new batch costs `run transform` as the history grows: the run that processes one new batch
 * when 1, 4 and 16 batches are already in, measured in one run on one engine, with the rows the tasks
 * read (from the run record). Beside them, the run with nothing new and a --full-refresh over the same
 * bronze at the largest history. Goals (issue 10): at 16 batches <= 1.3x the time and <= 1.2x the rows
 * read of the run at 1; full refresh >= 2.5x the incremental run; nothing new <= 0.3x a one-batch run.
 * Run: node bench/run.mjs incremental   (BENCH_SCALE=1 for ~100k POS lines a batch, the size;
 * default 0.25; BENCH_HISTORY=1,4,16)
 */
const SCALE = Number(process.env['BENCH_SCALE'] ?? 0.25);
const HISTORY = (process.env['BENCH_HISTORY'] ?? '1,4,16').split(',').map(Number);
const settings = { ...readSettings({ ...process.env, LHCTL_HOME: HOME }), home: mkdtempSync(join(tmpdir(), 'lhctl-bench-incremental-')) };
const base = loadProfile(join(process.cwd(), 'profiles'), 'local');
const profile = { ...base, schemas: { bronze: 'benchinc_bronze', silver: 'benchinc_silver', gold: 'benchinc_gold' } };
const rebuilt = { ...base, schemas: { bronze: 'benchinc_bronze', silver: 'benchinc_full_silver', gold: 'benchinc_full_gold' } };
const landing = pipelineTarget(profile, settings).landing;

interface Measured {
  seconds: number;
  rowsRead: number;
  record: RunRecord;
}

async function transform(engine: SqlEngine, of: typeof profile, fullRefresh = false): Promise<Measured> {
  const started = performance.now();
  const record = await runPipelineJob(engine, of, settings, 'transform', { fullRefresh });
  const seconds = (performance.now() - started) / 1000;
  if (record.state !== 'succeeded') throw new Error(`transform ${record.state}: ${record.tasks.find((t) => t.error)?.error}`);
  const rowsRead = record.tasks.reduce((n, t) => n + (t.reads ?? []).reduce((m, r) => m + r.rows, 0), 0);
  return { seconds, rowsRead, record };
}

/** Lands batches until `total` are in bronze, ingested; the transformation catches up in one run. */
async function landUpTo(engine: SqlEngine, landed: number, total: number): Promise<void> {
  if (total <= landed) return;
  await landNextBatches({ landingDir: landing, batches: total - landed, ...(landed === 0 ? { seed: 'bench-incremental', scale: SCALE, reset: true } : {}) });
  const ingest = await runPipelineJob(engine, profile, settings, 'ingest');
  if (ingest.state !== 'succeeded') throw new Error(`ingest ${ingest.state}: ${ingest.tasks.find((t) => t.error)?.error}`);
}

const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
try {
  for (const of of [profile, rebuilt]) for (const schema of Object.values(of.schemas)) await executeStatement(engine, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const oneNewBatch = new Map<number, Measured>();
  let landed = 0;
  for (const history of HISTORY) {
    await landUpTo(engine, landed, history);
    if (history > landed) await transform(engine, profile);
    await landUpTo(engine, history, history + 1);
    landed = history + 1;
    const measured = await transform(engine, profile);
    oneNewBatch.set(history, measured);
    console.log(`  history ${String(history).padStart(2)} batches: one new batch in ${measured.seconds.toFixed(1)} s, ${measured.rowsRead.toLocaleString('en-US')} rows read`);
  }
  const nothingNew = await transform(engine, profile);
  const upToDate = nothingNew.record.tasks.filter((t) => t.state === 'up-to-date').length;
  console.log(`  nothing new: ${nothingNew.seconds.toFixed(1)} s, ${upToDate} tasks up to date`);
  const full = await transform(engine, rebuilt, true);
  console.log(`  --full-refresh of ${landed} batches: ${full.seconds.toFixed(1)} s, ${full.rowsRead.toLocaleString('en-US')} rows read`);

  const first = oneNewBatch.get(HISTORY[0]!)!;
  const last = oneNewBatch.get(HISTORY[HISTORY.length - 1]!)!;
  const ratio = (a: number, b: number): string => `${a.toFixed(1)} / ${b.toFixed(1)} = ${(a / b).toFixed(2)}x`;
  console.log(`scale ${SCALE}: run transform with one new batch, history of ${HISTORY.join(', ')} batches`);
  console.log(row(`time at ${HISTORY.at(-1)} vs ${HISTORY[0]} batches of history`, ratio(last.seconds, first.seconds), '<= 1.3x', last.seconds / first.seconds <= 1.3));
  console.log(row(`rows read at ${HISTORY.at(-1)} vs ${HISTORY[0]}`, `${(last.rowsRead / first.rowsRead).toFixed(2)}x`, '<= 1.2x', last.rowsRead / first.rowsRead <= 1.2));
  console.log(row(`--full-refresh vs incremental at ${HISTORY.at(-1)}`, ratio(full.seconds, last.seconds), '>= 2.5x', full.seconds / last.seconds >= 2.5));
  console.log(row('nothing new vs one new batch (history 1)', ratio(nothingNew.seconds, first.seconds), '<= 0.3x', nothingNew.seconds / first.seconds <= 0.3));
} finally {
  await engine.close();
}
