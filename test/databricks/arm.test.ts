/** Arming protected envs and the write gate every Databricks write passes. */
import { describe, expect, it } from 'vitest';
import { SafetyError, UsageError } from '../../src/core/errors.js';
import { armCommand, disarmCommand, requireWritable } from '../../src/commands/arm.js';
import { parseCommandArgs } from '../../src/commands/args.js';
import { armEnv, armedUntil } from '../../src/ops/arming.js';
import { commandContext } from './support/contractWorkspace.js';
import { loopbackSettings } from './support/fixtures.js';

const noArgs = { positionals: [], options: {} };

describe('arm, disarm and requireWritable', () => {
  it('refuses writes on unarmed prod, naming the command that arms it', async () => {
    const { ctx } = commandContext('http://127.0.0.1:9', { env: 'prod' });
    const refusal = await requireWritable(ctx, 'deploy 3 change(s)').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SafetyError);
    expect((refusal as SafetyError).exitCode).toBe(2);
    expect((refusal as SafetyError).hint).toContain('lhctl arm --env prod --for 10m');
  });

  it('lets --yes through on prod for writes that destroy nothing, and lets non-protected envs write without asking', async () => {
    await expect(requireWritable(commandContext('http://127.0.0.1:9', { env: 'prod', assumeYes: true }).ctx, 'deploy')).resolves.toBeUndefined();
    const qa = commandContext('http://127.0.0.1:9', { env: 'qa' });
    await expect(requireWritable(qa.ctx, 'deploy')).resolves.toBeUndefined();
    expect(qa.ui.questions).toEqual([]);
  });

  it('arms prod after a typed confirmation, for the requested time only', async () => {
    const settings = loopbackSettings('http://127.0.0.1:9');
    const refused = commandContext(settings, { env: 'prod', answer: 'yes' });
    await expect(armCommand.run(refused.ctx, { positionals: [], options: { for: 45 * 60_000 } })).rejects.toBeInstanceOf(SafetyError);
    expect(armedUntil(settings.home, 'prod')).toBeUndefined();

    const { ctx, ui } = commandContext(settings, { env: 'prod', answer: 'prod' });
    const started = Date.now();
    const outcome = await armCommand.run(ctx, { positionals: [], options: { for: 45 * 60_000 } });
    expect(ui.questions[0]).toContain('for 45 minutes');
    const until = armedUntil(settings.home, 'prod')!;
    expect(until.getTime() - started).toBeGreaterThan(44 * 60_000);
    expect(until.getTime() - started).toBeLessThanOrEqual(45 * 60_000 + 1000);
    expect(outcome.data).toMatchObject({ kind: 'record', data: { env: 'prod', armed_until: until.toISOString() } });
    await expect(requireWritable(ctx, 'deploy')).resolves.toBeUndefined();

    await disarmCommand.run(ctx, noArgs);
    await expect(requireWritable(ctx, 'deploy')).rejects.toBeInstanceOf(SafetyError);
  });

  it('refuses a destructive action on unarmed prod even with --yes; once armed, --yes skips the typed confirmation', async () => {
    const settings = loopbackSettings('http://127.0.0.1:9');
    const vacuum = { description: 'VACUUM prod_gold.fact_sales', destructive: true, confirmText: 'fact_sales' };
    const { ctx, ui } = commandContext(settings, { env: 'prod', assumeYes: true });
    const refusal = await requireWritable(ctx, vacuum).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(SafetyError);
    expect((refusal as SafetyError).hint).toContain('arm the env first: `lhctl arm --env prod --for 10m`');
    armEnv(settings.home, 'prod', 60_000);
    await expect(requireWritable(ctx, vacuum)).resolves.toBeUndefined();
    expect(ui.questions).toEqual([]);
  });

  it('treats an expired window as unarmed', () => {
    const settings = loopbackSettings('http://127.0.0.1:9');
    armEnv(settings.home, 'prod', 60_000, new Date(Date.now() - 120_000));
    expect(armedUntil(settings.home, 'prod')).toBeUndefined();
  });

  it('asks for the typed confirmation of a destructive action even when armed, unless --yes', async () => {
    const settings = loopbackSettings('http://127.0.0.1:9');
    armEnv(settings.home, 'prod', 600_000);
    const wrong = commandContext(settings, { env: 'prod', answer: 'y' });
    await expect(requireWritable(wrong.ctx, { description: 'VACUUM prod_gold.fact_sales', destructive: true, confirmText: 'fact_sales' })).rejects.toBeInstanceOf(SafetyError);
    expect(wrong.ui.questions).toEqual(['About to VACUUM prod_gold.fact_sales on env "prod". Type "fact_sales" to continue']);
    const right = commandContext(settings, { env: 'prod', answer: 'fact_sales' });
    await expect(requireWritable(right.ctx, { description: 'VACUUM prod_gold.fact_sales', destructive: true, confirmText: 'fact_sales' })).resolves.toBeUndefined();
  });

  it('bounds the arming window, and reads a bare --for as minutes (the one duration grammar)', () => {
    const forOf = (text: string) => parseCommandArgs(armCommand, ['--for', text]).args.options['for'];
    expect(forOf('2h')).toBe(7_200_000);
    expect(forOf('90')).toBe(5_400_000);
    expect(() => forOf('9h')).toThrow(UsageError);
    expect(() => forOf('soon')).toThrow(UsageError);
  });
});
