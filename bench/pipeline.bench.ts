import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeStatement, type SqlEngine } from '../src/engines/engine.js';
import { openLocalEngine } from '../src/engines/local/index.js';
import { runPipelineJob } from '../src/pipelines/execute.js';
import { findJob, sqlNameOfTask } from '../src/pipelines/jobs.js';
import { landNextBatches } from '../src/pipelines/landed.js';
import { pipelineTarget } from '../src/pipelines/landing.js';
import type { RunRecord } from '../src/pipelines/runner/records.js';
import { validateGraph } from '../src/pipelines/runner/graph.js';
import { loadProfile } from '../src/profiles/profile.js';
import { readSettings } from '../src/profiles/settings.js';
import { sqlStatements } from '../src/sql/index.js';
import { HOME, median, row } from './support.js';

/**
 * The transformation job through lhctl's runner (graph, retries, run record, DESCRIBE HISTORY per write)
 * vs the same rendered SQL statements submitted one after another by a minimal loop, on the same server
 * and the same bronze; alternated, medians of BENCH_ROUNDS. Goal: <= 1.10x. Also rows/s per layer.
 * Run: node bench/run.mjs pipeline   (BENCH_SCALE=1 or 5 for the sizes; default 0.1)
 */
const SCALE = Number(process.env['BENCH_SCALE'] ?? 0.1);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const settings = { ...readSettings({ ...process.env, LHCTL_HOME: HOME }), home: mkdtempSync(join(tmpdir(), 'lhctl-bench-pipeline-')) };
const profile = { ...loadProfile(join(process.cwd(), 'profiles'), 'local'), schemas: { bronze: 'bench_bronze', silver: 'bench_silver', gold: 'bench_gold' } };
const target = pipelineTarget(profile, settings);

async function resetTransformed(engine: SqlEngine): Promise<void> {
  for (const schema of [profile.schemas.silver, profile.schemas.gold]) await executeStatement(engine, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** The minimal script: every task's statements in a dependency order, one at a time. */
async function plainSubmission(engine: SqlEngine): Promise<void> {
  const job = findJob(profile, 'transform')!;
  validateGraph(job);
  const done = new Set<string>();
  while (done.size < job.tasks.length) {
    for (const task of job.tasks) {
      if (done.has(task.task_key) || !(task.depends_on ?? []).every((d) => done.has(d.task_key))) continue;
      for (const statement of sqlStatements(sqlNameOfTask(task), target)) await executeStatement(engine, statement);
      done.add(task.task_key);
    }
  }
}

function rowsPerSecond(record: RunRecord, layer: string): string {
  const tasks = record.tasks.filter((t) => t.key.startsWith(`${layer}_`));
  const rows = tasks.reduce((n, t) => n + t.writes.reduce((m, w) => m + w.rowsInserted + w.rowsUpdated + w.rowsDeleted, 0), 0);
  const seconds = tasks.reduce((n, t) => n + (t.durationMs ?? 0), 0) / 1000;
  return `${Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en-US')} rows/s (${rows.toLocaleString('en-US')} rows, ${seconds.toFixed(1)} task-s)`;
}

const engine = await openLocalEngine({ home: HOME, javaHome: process.env['JAVA_HOME'], env: process.env }, { autoStart: false });
try {
  await executeStatement(engine, `DROP SCHEMA IF EXISTS ${profile.schemas.bronze} CASCADE`);
  await landNextBatches({ landingDir: target.landing, batches: 1, seed: 'bench', scale: SCALE, reset: true });
  await runPipelineJob(engine, profile, settings, 'ingest');
  const viaRunner: number[] = [];
  const plain: number[] = [];
  let last: RunRecord | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    await resetTransformed(engine);
    let started = performance.now();
    last = await runPipelineJob(engine, profile, settings, 'transform', { parallelism: 1 });
    if (last.state !== 'succeeded') throw new Error(`transform ${last.state}: ${last.tasks.find((t) => t.error)?.error}`);
    viaRunner.push(performance.now() - started);
    await resetTransformed(engine);
    started = performance.now();
    await plainSubmission(engine);
    plain.push(performance.now() - started);
  }
  const ratio = median(viaRunner) / median(plain);
  console.log(`scale ${SCALE}: transformation job, median of ${ROUNDS} alternated rounds`);
  console.log(
    row('lhctl runner (parallelism 1) vs plain statement loop', `${(median(viaRunner) / 1000).toFixed(1)} s / ${(median(plain) / 1000).toFixed(1)} s = ${ratio.toFixed(2)}x`, '<= 1.10x', ratio <= 1.1),
  );
  for (const layer of ['silver', 'gold']) console.log(`  ${layer.padEnd(7)} ${rowsPerSecond(last!, layer)}`);
} finally {
  await engine.close();
}
