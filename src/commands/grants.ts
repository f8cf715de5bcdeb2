import { UsageError } from '../core/errors.js';
import { applyGovernance, planGovernance, type GovernanceChange } from '../ops/governance/grantsPlan.js';
import { previewStatements, refreshPreview } from '../ops/governance/localPreview.js';
import { checkPiiCoverage, SAMPLE_ROWS } from '../ops/governance/piiCheck.js';
import { loadPolicy, policyRoles, type Policy } from '../ops/governance/policy.js';
import { requireWritable } from './arm.js';
import { envCan } from './capability.js';
import type { Command, CommandContext, CommandOutcome, ParsedArgs } from './command.js';
import { textTable } from './databricksContext.js';

const PLAN_COLUMNS = ['kind', 'object', 'change', 'sql'];

function policyOf(args: ParsedArgs): Policy {
  const file = args.options['policy'];
  return typeof file === 'string' ? loadPolicy(file) : loadPolicy();
}

export function governanceRows(changes: readonly GovernanceChange[]): string[][] {
  return changes.map((c) => [c.kind, c.object, c.change, c.sql]);
}

/** The governance plan of a Databricks env (reads only); `deploy --plan` shows it too. */
export async function governancePlanOf(ctx: CommandContext, policy: Policy): Promise<{ changes: GovernanceChange[]; warnings: string[] }> {
  const engine = await ctx.engine();
  return planGovernance(engine, ctx.profile, policy, { signal: ctx.signal });
}

function validate(ctx: CommandContext, policy: Policy): CommandOutcome {
  const roles = policyRoles(policy, ctx.profile.name);
  return {
    data: {
      kind: 'multi',
      results: [
        { kind: 'message', text: `${policy.file} is valid: ${roles.length} role(s), ${policy.grants.length} grant rule(s), ${policy.masks.length} mask(s), ${policy.rowFilters.length} row filter(s)` },
        textTable(
          `roles on env ${ctx.profile.name}`,
          ['role', 'group', 'region', 'principal'],
          roles.map((r) => [r.name, r.group, r.region ?? null, r.principal]),
        ),
      ],
    },
  };
}

async function plan(ctx: CommandContext, policy: Policy): Promise<CommandOutcome> {
  if (!envCan(ctx.profile, 'grants')) {
    const engine = await ctx.engine();
    const statements = await previewStatements(engine, ctx.profile, policy, { signal: ctx.signal });
    ctx.ui.warn(`env ${ctx.profile.name} enforces no grants: these statements build the local preview views (a preview of the policy's effect, not a security boundary)`);
    return {
      data: textTable(
        `policy preview for ${ctx.profile.name}`,
        ['sql'],
        statements.map((s) => [s]),
      ),
    };
  }
  const result = await governancePlanOf(ctx, policy);
  for (const warning of result.warnings) ctx.ui.warn(warning);
  if (result.changes.length === 0) return { data: { kind: 'message', text: `env ${ctx.profile.name} matches ${policy.file}: nothing to change.` } };
  return { data: textTable(`governance plan for ${ctx.profile.name} (${result.changes.length} statement(s))`, PLAN_COLUMNS, governanceRows(result.changes)) };
}

async function apply(ctx: CommandContext, policy: Policy): Promise<CommandOutcome> {
  const engine = await ctx.engine();
  if (!envCan(ctx.profile, 'grants')) {
    const ran = await refreshPreview(engine, ctx.settings.home, ctx.profile, policy, (line) => ctx.ui.progress(line), { signal: ctx.signal });
    return {
      data: {
        kind: 'message',
        text: ran === 0 ? `the policy preview on env ${ctx.profile.name} is up to date.` : `built the policy preview on env ${ctx.profile.name} (${ran} statement(s)); try lhctl sql --as analysts "…"`,
      },
    };
  }
  const result = await planGovernance(engine, ctx.profile, policy, { signal: ctx.signal });
  for (const warning of result.warnings) ctx.ui.warn(warning);
  if (result.changes.length === 0) return { data: { kind: 'message', text: `env ${ctx.profile.name} matches ${policy.file}: nothing to change.` } };
  await requireWritable(ctx, { description: `apply ${result.changes.length} governance statement(s) (grants, masks, row filters)`, needsArming: true });
  const applied = await applyGovernance(engine, result, (line) => ctx.ui.progress(line), { signal: ctx.signal });
  return { data: textTable(`governance applied to ${ctx.profile.name}`, PLAN_COLUMNS, governanceRows(applied)) };
}

async function pii(ctx: CommandContext, policy: Policy): Promise<CommandOutcome> {
  const engine = await ctx.engine();
  const findings = await checkPiiCoverage(engine, ctx.profile, policy, { signal: ctx.signal });
  const unmasked = findings.filter((f) => f.mask === undefined);
  const rows = findings.map((f) => [f.table, f.column, f.kind, `${f.matched}/${f.sampled}`, f.mask ?? null, f.mask ? 'masked' : 'UNMASKED']);
  const title = `PII coverage on env ${ctx.profile.name} (up to ${SAMPLE_ROWS} rows sampled per table): ${unmasked.length === 0 ? 'every PII-looking column has a mask' : `${unmasked.length} column(s) without a mask`}`;
  if (unmasked.length > 0) ctx.ui.warn(`add a mask for ${unmasked.map((f) => `${f.table}.${f.column}`).join(', ')} to ${policy.file}`);
  return { data: textTable(title, ['table', 'column', 'looks_like', 'matched', 'mask', 'status'], rows), exitCode: unmasked.length > 0 ? 1 : 0 };
}

/** `lhctl grants`: the access policy (governance/policy.yaml) checked, planned and applied per env. */
export const grantsCommand: Command = {
  name: 'grants',
  summary: 'Access policy as code: validate it, plan and apply grants, masks and row filters; check PII coverage',
  positionals: [],
  verbs: [
    { name: 'plan', summary: 'The statements that would converge the env to the policy (reads only); locally, the preview views' },
    { name: 'apply', summary: 'Run the plan (a protected env must be armed); locally, build the preview views' },
    { name: 'validate', summary: 'Check the policy file against the tables and columns the bundled SQL creates' },
    { name: 'pii', summary: 'Sample silver and gold string columns for emails, phones and streets; fail when one has no mask' },
  ],
  defaultVerb: 'plan',
  options: {
    policy: { type: 'string', complete: 'file', description: 'Another policy file instead of the bundled governance/policy.yaml', valueName: '<file>' },
  },
  examples: ['lhctl grants plan --env qa', 'lhctl grants apply --env prod', 'lhctl grants validate', 'lhctl grants pii', 'lhctl sql --as analysts "select email from gold.dim_customer limit 5"'],
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'plan';
    if (args.positionals.length > 1) throw new UsageError(`\`lhctl grants ${verb}\` takes no operands`);
    const policy = policyOf(args);
    switch (verb) {
      case 'validate':
        return validate(ctx, policy);
      case 'plan':
        return plan(ctx, policy);
      case 'apply':
        return apply(ctx, policy);
      case 'pii':
        return pii(ctx, policy);
      default:
        throw new UsageError(`no verb "${verb}" for lhctl grants`, { hint: 'Verbs: plan, apply, validate, pii.' });
    }
  },
};
