import type { Row } from '../core/types.js';
import { runPipelineJob, taskEventLine } from '../pipelines/execute.js';
import { landingRoot, pipelineTarget } from '../pipelines/landing.js';
import { landNextBatches } from '../pipelines/landed.js';
import { pipelineReport, type ReportTable } from '../pipelines/report.js';
import type { RunRecord } from '../pipelines/runner/records.js';
import type { Command, CommandData } from './command.js';
import { requireWritable } from './arm.js';

const JOBS = ['ingest', 'transform', 'quality'] as const;

function table(report: ReportTable): CommandData {
  return { kind: 'table', title: report.title, columns: report.columns, rows: report.rows };
}

const NEXT_COMMANDS = [
  'lhctl                                   # the console',
  'lhctl runs list                         # the runs the demo made',
  'lhctl history gold.dim_customer         # SCD2 merges, version by version',
  'lhctl sql "SELECT * FROM local_silver.quarantine LIMIT 20"',
  'lhctl data generate && lhctl run ingest && lhctl run transform && lhctl run quality',
];

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
  },
  needs: ['localRuntime'],
  presentation: { opensConsole: (args) => args.options['no-console'] !== true },
  examples: ['lhctl demo', 'lhctl demo --batches 2 --scale 0.1 --no-console'],
  async run(ctx, args) {
    const batches = (args.options['batches'] as number | undefined) ?? 3;
    // Without --scale the demo continues at the scale of batches already landed (1 on a fresh machine).
    const scale = args.options['scale'] as number | undefined;
    const seed = typeof args.options['seed'] === 'string' ? args.options['seed'] : undefined;
    await requireWritable(ctx, 'run the demo pipeline');
    const engine = await ctx.engine();
    const landingDir = landingRoot(ctx.profile, ctx.settings);
    const runs: RunRecord[] = [];
    let landedScale = scale ?? 1;
    const started = Date.now();
    for (let i = 0; i < batches; i++) {
      const [manifest] = await landNextBatches({ landingDir, batches: 1, ...(seed ? { seed } : {}), ...(scale !== undefined ? { scale } : {}) });
      landedScale = manifest!.scale;
      ctx.ui.progress(`batch ${manifest!.batch}: landed ${manifest!.sales.lines} POS sales lines; ingest → transform → quality`);
      for (const job of JOBS) {
        const record = await runPipelineJob(engine, ctx.profile, ctx.settings, job, { signal: ctx.signal, onEvent: (e) => ctx.ui.progress(taskEventLine(e)), onNotice: (m) => ctx.ui.progress(m) });
        runs.push(record);
        if (record.state !== 'succeeded') {
          ctx.ui.warn(`${record.job} ${record.state} on batch ${manifest!.batch}; see \`lhctl runs show ${record.runId}\``);
          return summary(false);
        }
      }
    }
    return summary(true);

    async function summary(ok: boolean) {
      const target = pipelineTarget(ctx.profile, ctx.settings);
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
      if (!openConsole) results.push({ kind: 'message', text: `Next, try:\n  ${NEXT_COMMANDS.join('\n  ')}` });
      return { data: { kind: 'multi' as const, results }, exitCode: ok ? 0 : 1 };
    }
  },
};
