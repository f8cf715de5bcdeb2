import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import type { BatchManifest } from '../pipelines/generator/manifest.js';
import { landingRoot, localLandingDir } from '../pipelines/landing.js';
import { landNextBatches } from '../pipelines/landed.js';
import type { Command, CommandContext, ParsedArgs } from './command.js';
import { envCan } from './capability.js';
import { liveTargetsOf, sendToLiveSources, type LiveSent, type LiveTarget } from '../pipelines/liveGenerate.js';

const COLUMNS = [
  'batch',
  'source',
  'file',
  'lines',
  'clean',
  'duplicate',
  'null_key',
  'malformed',
  'negative_quantity',
  'unknown_store',
  'late_event',
  'added_columns',
  'kafka_records',
  'db_rows',
  'db_unloadable',
];
const INT_COLUMN = /^(batch|lines|clean|duplicate|null_key|malformed|negative_quantity|unknown_store|late_event|kafka_records|db_rows|db_unloadable)$/;

/** Rows a batch inserted or updated in the orders database's table, and lines no row can hold (NULLs when not loaded). */
function loaded(sent: LiveSent, batch: number, source: string): [number | null, number | null] {
  const result = sent.postgres?.find((r) => r.batch === batch && r.table === source);
  return result ? [result.inserted + result.updated, result.notRepresentable] : [null, null];
}

/** What a batch landed, one row per source: the manifest's counts. */
export function manifestRows(manifests: BatchManifest[], sent: LiveSent = {}): Row[] {
  return manifests.flatMap((m) =>
    Object.entries(m.sources).map(([source, s]) => [
      m.batch,
      source,
      s.file,
      s.lines,
      s.cleanLines,
      s.injected.duplicate ?? 0,
      s.injected.null_key ?? 0,
      s.injected.malformed ?? 0,
      s.injected.negative_quantity ?? 0,
      s.injected.unknown_store ?? 0,
      s.injected.late_event ?? 0,
      s.addedColumns.join(' ') || null,
      source === 'sales_transactions' ? (sent.kafka?.get(m.batch) ?? null) : null,
      ...loaded(sent, m.batch, source),
    ]),
  );
}

export async function generateData(ctx: CommandContext, args: ParsedArgs): Promise<{ manifests: BatchManifest[]; sent: LiveSent }> {
  const landingDir = envCan(ctx.profile, 'taskRunner') ? localLandingDir(ctx.profile, ctx.settings) : undefined;
  if (landingDir === undefined) {
    throw new UsageError(`data generate writes files on this machine, which does not apply to env ${ctx.profile.name}: it lands in ${landingRoot(ctx.profile, ctx.settings)}`, {
      hint: 'Generate with --env local, then copy the files from its landing zone (`lhctl data generate` prints where) to that location.',
    });
  }
  const batches = (args.options['batches'] as number | undefined) ?? 1;
  const scale = args.options['scale'] as number | undefined;
  const seed = typeof args.options['seed'] === 'string' ? args.options['seed'] : undefined;
  const reset = args.options['reset'] === true;
  const manifests = await landNextBatches({
    landingDir,
    batches,
    ...(seed !== undefined ? { seed } : {}),
    ...(scale !== undefined ? { scale } : {}),
    reset,
    onBatch: (m) => ctx.ui.progress(`batch ${m.batch} landed: ${m.sales.lines} POS sales lines, ${Object.values(m.sources).reduce((n, s) => n + s.lines, 0)} lines in all`),
  });
  const to = args.options['to'] as string | undefined;
  const targets = to === undefined ? liveTargetsOf(ctx.profile) : to === 'files' ? [] : [to as LiveTarget];
  const sent = await sendToLiveSources(ctx.profile, ctx.settings, landingDir, manifests, { targets, reset, onProgress: (m) => ctx.ui.progress(m) });
  if (reset) {
    const { catalog, schemas } = ctx.profile;
    ctx.ui.warn(
      `the landing zone starts again, under new file names, so the next \`lhctl run ingest\` appends it to bronze beside what ${catalog}.${schemas.bronze} ` +
        `already holds from the earlier landing. To build the tables from this landing alone, drop the env's schemas first: ` +
        `lhctl sql "DROP SCHEMA ${catalog}.${schemas.gold} CASCADE; DROP SCHEMA ${catalog}.${schemas.silver} CASCADE; DROP SCHEMA ${catalog}.${schemas.bronze} CASCADE"`,
    );
  }
  return { manifests, sent };
}

/** `lhctl data generate`: land the next synthetic batches, dirty on purpose, with a manifest each. */
export const dataCommand: Command = {
  name: 'data',
  summary: 'Synthetic retail sources: `data generate` lands the next batches in the local landing zone',
  positionals: [],
  verbs: [{ name: 'generate', summary: 'Land the next batches of the synthetic sources in the local landing zone', examples: ['lhctl data generate --batches 3 --scale 0.1'] }],
  options: {
    batches: { type: 'number', integer: true, min: 1, max: 100, description: 'How many batches to land after those already there (default 1)', valueName: '<N>' },
    scale: { type: 'number', min: 0.001, max: 50, description: 'Size: 1 ≈ 100k POS sales lines per batch (default 1)', valueName: '<S>' },
    seed: { type: 'string', description: 'Seed of the generator (default "lhctl"); same seed, same files', valueName: '<X>' },
    reset: { type: 'boolean', description: 'Empty the landing zone first and start again at batch 1, under new file names' },
    to: {
      type: 'enum',
      values: ['files', 'kafka', 'postgres'],
      description:
        "Also send the batches where a live env reads them: kafka (POS events to its topic), postgres (orders, customers, inventory to its database); files lands only. Default: the env's own sources",
      valueName: '<files|kafka|postgres>',
    },
  },
  examples: ['lhctl data generate --batches 3 --scale 0.1', 'lhctl data generate --reset --seed 7'],
  async run(ctx, args) {
    const { manifests, sent } = await generateData(ctx, args);
    const landing = landingRoot(ctx.profile, ctx.settings);
    return {
      data: {
        kind: 'table',
        title: `landed in ${landing} (manifests in _manifests/)`,
        columns: COLUMNS.map((name) => ({ name, type: INT_COLUMN.test(name) ? 'int' : 'string', nullable: true })),
        rows: manifestRows(manifests, sent),
      },
    };
  },
};
