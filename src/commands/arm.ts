import { SafetyError } from '../core/errors.js';
import { DEFAULT_ARM_MINUTES, MAX_ARM_MS, MIN_ARM_MS, armEnv, armedUntil, disarmEnv } from '../ops/arming.js';
import type { Command, CommandContext } from './command.js';

export interface WriteAction {
  /** What is about to be written, in the operator's words: "deploy 3 jobs", "VACUUM qa_gold.fact_sales". */
  description: string;
  /** Destroys data or widens access (RESTORE, VACUUM, DROP, overwrite, share grants). */
  destructive?: boolean;
  /** What the operator types to confirm a destructive action; the env name by default. */
  confirmText?: string;
  /** Open-ended writes (ad-hoc SQL): on a protected env only arming lets them through, --yes does not stand in. */
  needsArming?: boolean;
}

/**
 * The gate every write passes. A protected env refuses writes unless it is armed; --yes stands in
 * for arming only for lhctl's own writes that destroy nothing (deploy, run), since an operator arms
 * before anything irreversible; never for open-ended ones (`needsArming`, ad-hoc SQL). A destructive action also needs the typed confirmation unless --yes.
 */
export async function requireWritable(ctx: CommandContext, action: WriteAction | string): Promise<void> {
  const { description, destructive = false, confirmText, needsArming = false } = typeof action === 'string' ? { description: action } : action;
  const env = ctx.profile.name;
  const arm = `lhctl arm --env ${env} --for ${DEFAULT_ARM_MINUTES}m`;
  if (ctx.profile.protected && armedUntil(ctx.settings.home, env) === undefined && (destructive || needsArming || !ctx.assumeYes)) {
    throw new SafetyError(`env "${env}" is protected and not armed: refused to ${description}`, {
      hint: destructive
        ? `This cannot be undone, so arm the env first: \`${arm}\`; then --yes skips only the typed confirmation.`
        : needsArming
          ? `Arm the env first for a limited time: \`${arm}\`; --yes does not stand in for arming here.`
          : `Arm it for a limited time with \`${arm}\`, or pass --yes for this one command.`,
    });
  }
  if (!destructive || ctx.assumeYes) return;
  const expected = confirmText ?? env;
  const confirmed = await ctx.ui.confirm(`About to ${description} on env "${env}". Type "${expected}" to continue`, expected);
  if (!confirmed) throw new SafetyError(`not confirmed: did not ${description}`, { hint: `Type "${expected}" exactly, or pass --yes in scripts.` });
}

export const armCommand: Command = {
  name: 'arm',
  summary: 'Open a time-limited write window on a protected env (prod)',
  positionals: [],
  options: {
    for: { type: 'duration', bareUnit: 'm', min: MIN_ARM_MS, max: MAX_ARM_MS, description: `How long writes stay allowed (default ${DEFAULT_ARM_MINUTES}m, 1m to 8h)`, valueName: '<30m|2h>' },
  },
  presentation: { view: () => ({ kind: 'status' }), armsEnv: true, sessionDefaults: { for: `${DEFAULT_ARM_MINUTES}m` } },
  examples: ['lhctl arm --env prod', 'lhctl arm --env prod --for 30m --yes', 'lhctl disarm --env prod'],
  async run(ctx, args) {
    const env = ctx.profile.name;
    if (!ctx.profile.protected) {
      return { data: { kind: 'message', text: `env "${env}" is not protected; writes need no arming.` } };
    }
    const duration = (args.options['for'] as number | undefined) ?? DEFAULT_ARM_MINUTES * 60_000;
    if (!ctx.assumeYes) {
      const minutes = Math.round(duration / 60_000);
      const confirmed = await ctx.ui.confirm(`Allow writes to protected env "${env}" for ${minutes} minutes? Type "${env}" to arm`, env);
      if (!confirmed) throw new SafetyError(`not confirmed: env "${env}" stays read-only`);
    }
    const until = armEnv(ctx.settings.home, env, duration);
    return { data: { kind: 'record', title: `env ${env} armed`, data: { env, armed_until: until.toISOString() } } };
  },
};

export const disarmCommand: Command = {
  name: 'disarm',
  summary: 'Close the write window of a protected env now',
  positionals: [],
  options: {},
  presentation: { view: () => ({ kind: 'status' }) },
  examples: ['lhctl disarm --env prod'],
  async run(ctx) {
    const env = ctx.profile.name;
    const wasArmed = disarmEnv(ctx.settings.home, env);
    return { data: { kind: 'message', text: wasArmed ? `env "${env}" is read-only again.` : `env "${env}" was not armed.` } };
  },
};
