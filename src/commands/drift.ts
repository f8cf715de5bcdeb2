import { ConfigError, UsageError } from '../core/errors.js';
import { bundledState, deployedState, driftMatrix, type EnvState } from '../ops/drift.js';
import { loadProfile, profileNames, type Profile } from '../profiles/profile.js';
import type { Command, CommandContext } from './command.js';
import { envCan } from './capability.js';
import { textTable, workspaceOf } from './databricksContext.js';
import { stringOption } from './deltaTable.js';
import { renderForWorkspace } from './deploy.js';

/** Without --envs: every Databricks env of the profiles folder. */
function envsToCompare(ctx: CommandContext, option: string | undefined): Profile[] {
  const dir = ctx.settings.profilesDir;
  const names =
    option !== undefined
      ? option
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean)
      : undefined;
  const profiles = (names ?? profileNames(dir)).map((name) => loadProfile(dir, name));
  const chosen = names ? profiles : profiles.filter((p) => envCan(p, 'jobs'));
  if (chosen.length < 2) throw new UsageError('drift compares at least two envs', { hint: 'Name them: --envs dev,qa,prod (the first is the baseline).' });
  return chosen;
}

/** The env's workspace state when its credentials work; the bundled definitions, saying why, when there are none. */
async function envState(ctx: CommandContext, profile: Profile): Promise<EnvState> {
  if (!envCan(profile, 'jobs')) return bundledState(profile, renderForWorkspace, 'bundled (local env)');
  try {
    const workspace = await workspaceOf({ ...ctx, profile }, 'drift');
    ctx.ui.progress(`reading jobs, SQL files and tables of env ${profile.name}`);
    return await deployedState(workspace, profile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    ctx.ui.warn(`env ${profile.name}: ${error.message}; comparing its bundled definitions instead`);
    return bundledState(profile, renderForWorkspace, 'bundled (no credentials)');
  }
}

/** `lhctl drift`: every job, task, SQL file and table schema across envs, against the first env. */
export const driftCommand: Command = {
  name: 'drift',
  summary: 'Matrix of jobs, tasks, SQL files and table schemas across envs: equal, differs (why) or missing',
  positionals: [],
  options: {
    envs: { type: 'string', description: 'Envs to compare, the first as baseline (default: every Databricks env)', valueName: '<a,b,…>' },
  },
  examples: ['lhctl drift', 'lhctl drift --envs dev,qa,prod --output json'],
  async run(ctx, args) {
    const profiles = envsToCompare(ctx, stringOption(args, 'envs'));
    const states: EnvState[] = [];
    for (const profile of profiles) states.push(await envState(ctx, profile));
    const rows = [['env', 'state read from', ...states.map((s) => s.source)], ...driftMatrix(states).map((r) => [r.kind, r.name, ...r.cells])];
    return { data: textTable(`drift against ${states[0]!.env}`, ['kind', 'object', ...states.map((s) => s.env)], rows) };
  },
};
