import type { Row } from '../core/types.js';
import { runPipelineJob, taskEventLine } from '../pipelines/execute.js';
import { landingRoot, pipelineTarget } from '../pipelines/landing.js';
import { landNextBatches } from '../pipelines/landed.js';
import { pipelineReport, type ReportTable } from '../pipelines/report.js';
import type { RunRecord } from '../pipelines/runner/records.js';
import type { Command, CommandData } from './command.js';
import { requireWritable } from './arm.js';
import { UsageError } from '../core/errors.js';
import { liveTargetsOf, sendToLiveSources } from '../pipelines/liveGenerate.js';
import { loadProfile, type Profile } from '../profiles/profile.js';

const JOBS = ['ingest', 'transform', 'quality'] as const;
/** The bundled env whose sources are the broker and the database lhctl runs (profiles/live.yaml). */
const LIVE_ENV = 'live';

function table(report: ReportTable): CommandData {
  return { kind: 'table', title: report.title, columns: report.columns, rows: report.rows };
}

/** What to try after the demo, on the env it ran on. */
function nextCommands(profile: Profile, defaultEnv: string): string[] {
  const env = profile.name === defaultEnv ? '' : ` --env ${profile.name}`;
  return [
    `lhctl${env}                                   # the console`,
    `lhctl runs list${env}                         # the runs the demo made`,
    `lhctl history gold.dim_customer${env}         # SCD2 merges, version by version`,
    `lhctl sql "SELECT * FROM ${profile.schemas.silver}.quarantine LIMIT 20"${env}`,
    ...(liveTargetsOf(profile).length > 0 ? [`lhctl stream start${env}                      # the sales stream, continuously`] : []),
    `lhctl data generate${env} && lhctl run ingest${env} && lhctl run transform${env} && lhctl run quality${env}`,
  ];
}

/**
 * `lhctl demo`: lands synthetic batches and runs ingest → transform → quality for each on the local
 * engine (installed and started on first use), then summarises the lakehouse. Batches continue after
 * any already landed, so a second demo adds to the first rather than destroying it.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'The retail medallion pipeline end to end on the local engine, then a summary of every layer',
  positionals: [],
  options: {
    batches: { type: 'number', integer: true, min: 1, max: 20, description: 'Batches to land and process (default 3)', valueName: '<N>' },
    scale: { type: 'number', min: 0.001, max: 50, description: '1 ≈ 100k POS sales lines per batch (default 1)', valueName: '<S>' },
    seed: { type: 'string', description: 'Generator seed (default "lhctl")', valueName: '<X>' },
    'no-console': { type: 'boolean', description: 'Print the next commands instead of opening the console' },
    sources: {
      type: 'enum',
      values: ['files', 'live'],
      description: `Where the sources come from: files landed (default), or live — POS events through Kafka, orders, customers and inventory through PostgreSQL, both run by lhctl (env ${LIVE_ENV} unless --env names another with live sources)`,
      valueName: '<files|live>',
    },
  },
  needs: ['localRuntime'],
  presentation: {
    opensConsole: (args) => args.options['no-console'] !== true,
    consoleEnv: (args) => (args.options['sources'] === 'live' ? LIVE_ENV : undefined),
  },
  examples: ['lhctl demo', 'lhctl demo --batches 2 --scale 0.1 --no-console', 'lhctl demo --sources live --batches 2 --scale 0.1'],
  async run(ctx, args) {
    const batches = (args.options['batches'] as number | undefined) ?? 3;
    // Without --scale the demo continues at the scale of batches already landed (1 on a fresh machine).
    const scale = args.options['scale'] as number | undefined;
    const seed = typeof args.options['seed'] === 'string' ? args.options['seed'] : undefined;
    const live = args.options['sources'] === 'live';
    const profile = live && liveTargetsOf(ctx.profile).length === 0 ? loadProfile(ctx.settings.profilesDir, LIVE_ENV) : ctx.profile;
    if (live && liveTargetsOf(profile).length === 0)
      throw new UsageError(`env ${profile.name} names no live sources`, { hint: `Use --env ${LIVE_ENV}, or name sources.kafka / sources.orders_db in the profile.` });
    if (profile !== ctx.profile) ctx.ui.progress(`live sources: the demo runs on env ${profile.name} (${profile.file})`);
    await requireWritable({ ...ctx, profile }, 'run the demo pipeline');
    const engine = await ctx.engine();
    const landingDir = landingRoot(profile, ctx.settings);
    const runs: RunRecord[] = [];
    let landedScale = scale ?? 1;
    const started = Date.now();
    for (let i = 0; i < batches; i++) {
      const [manifest] = await landNextBatches({ landingDir, batches: 1, ...(seed ? { seed } : {}), ...(scale !== undefined ? { scale } : {}) });
      landedScale = manifest!.scale;
      if (live) await sendToLiveSources(profile, ctx.settings, landingDir, [manifest!], { targets: liveTargetsOf(profile), reset: false, onProgress: (m) => ctx.ui.progress(m) });
      ctx.ui.progress(`batch ${manifest!.batch}: landed ${manifest!.sales.lines} POS sales lines; ingest → transform → quality`);
      for (const job of JOBS) {
        const record = await runPipelineJob(engine, profile, ctx.settings, job, { signal: ctx.signal, onEvent: (e) => ctx.ui.progress(taskEventLine(e)), onNotice: (m) => ctx.ui.progress(m) });
        runs.push(record);
        if (record.state !== 'succeeded') {
          ctx.ui.warn(`${record.job} ${record.state} on batch ${manifest!.batch}; see \`lhctl runs show ${record.runId}\``);
          return summary(false);
        }
      }
    }
    return summary(true);

    async function summary(ok: boolean) {
      const target = pipelineTarget(profile, ctx.settings);
      const reports = await Promise.all((['tables', 'quarantine', 'scd2', 'checks'] as const).map((r) => pipelineReport(engine, target, r, ctx.signal).catch(() => undefined)));
      const checks = reports[3]?.rows ?? [];
      const passed = checks.filter((r: Row) => r[3] === true).length;
      const openConsole = ok && args.options['no-console'] !== true;
      const results: CommandData[] = [
        {
          kind: 'record',
          title: ok ? 'demo complete' : 'demo stopped at a failed run',
          data: {
            batches: Math.ceil(runs.length / JOBS.length),
            scale: landedScale,
            runs: runs.length,
            failed_run: runs.find((r) => r.state !== 'succeeded')?.runId ?? null,
            checks_passed: `${passed}/${checks.length}`,
            duration: `${((Date.now() - started) / 1000).toFixed(0)} s`,
            open_console: openConsole,
          },
        },
        ...reports.filter((r): r is ReportTable => r !== undefined).map(table),
      ];
      if (!openConsole) results.push({ kind: 'message', text: `Next, try:\n  ${nextCommands(profile, ctx.settings.defaultEnv).join('\n  ')}` });
      return { data: { kind: 'multi' as const, results }, exitCode: ok ? 0 : 1 };
    }
  },
};
