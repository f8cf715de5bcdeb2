import { mkdirSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomicFile.js';
import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import { armedUntil } from '../ops/arming.js';
import { credentialInUse, resolveDatabricksAuth } from '../profiles/databricksAuth.js';
import { sparkConnectCredential, sparkConnectTarget } from '../profiles/sparkConnectAuth.js';
import { loadProfile, profileNames, type Profile } from '../profiles/profile.js';
import { selectedEnvFile, type Settings } from '../profiles/settings.js';
import type { Command, CommandContext, CommandOutcome } from './command.js';
import { envCan } from './capability.js';
import { textTable } from './databricksContext.js';

export const ENV_VERBS = ['list', 'show', 'use'] as const;

/** Where an env's statements go, in a few words. */
export function envTarget(profile: Profile): string {
  if (envCan(profile, 'localRuntime')) return 'local Spark + Delta on 127.0.0.1';
  if (profile.sparkConnect) return sparkConnectTarget(profile);
  const databricks = profile.databricks!;
  return databricks.host ?? (databricks.authProfile ? `host of [${databricks.authProfile}] in ~/.databrickscfg` : 'DATABRICKS_HOST');
}

function armedText(settings: Settings, profile: Profile): string | null {
  if (!profile.protected) return null;
  return armedUntil(settings.home, profile.name)?.toISOString() ?? 'no (read-only)';
}

function list(ctx: CommandContext): CommandOutcome {
  const current = ctx.profile.name;
  const rows: Row[] = profileNames(ctx.settings.profilesDir).map((name) => {
    const profile = loadProfile(ctx.settings.profilesDir, name);
    const schemas = `${profile.schemas.bronze}, ${profile.schemas.silver}, ${profile.schemas.gold}`;
    return [name === current ? '*' : '', name, profile.engine, envTarget(profile), profile.catalog, schemas, profile.protected ? 'yes' : 'no', armedText(ctx.settings, profile)];
  });
  return { data: textTable(`envs in ${ctx.settings.profilesDir}`, ['current', 'env', 'engine', 'target', 'catalog', 'schemas', 'protected', 'armed_until'], rows) };
}

function show(ctx: CommandContext, name: string | undefined): CommandOutcome {
  const profile = name === undefined ? ctx.profile : loadProfile(ctx.settings.profilesDir, name);
  const current = profile.name === ctx.profile.name;
  const selectedBy = !current ? null : ctx.settings.defaultEnv === profile.name ? ctx.settings.defaultEnvSource : '--env';
  const databricks = profile.databricks;
  const auth = databricks ? resolveDatabricksAuth(ctx.settings, profile) : undefined;
  const sparkConnect = profile.sparkConnect;
  return {
    data: {
      kind: 'record',
      title: `env ${profile.name}`,
      data: {
        env: profile.name,
        file: profile.file,
        current,
        selected_by: selectedBy,
        engine: profile.engine,
        target: envTarget(profile),
        catalog: profile.catalog,
        bronze: profile.schemas.bronze,
        silver: profile.schemas.silver,
        gold: profile.schemas.gold,
        protected: profile.protected,
        armed_until: armedText(ctx.settings, profile),
        ...(databricks && auth
          ? {
              auth_profile: databricks.authProfile ?? null,
              credential: credentialInUse(auth),
              warehouse_http_path: databricks.warehouseHttpPath,
              landing: databricks.landing,
              workspace_dir: databricks.workspaceDir,
            }
          : {}),
        ...(sparkConnect
          ? {
              credential: sparkConnectCredential(ctx.settings, profile),
              user_id: sparkConnect.url.userId ?? null,
              ca_file: sparkConnect.caFile ?? (sparkConnect.url.useSsl ? 'the system CA store' : null),
              extra_headers: Object.keys(sparkConnect.url.headers).join(', ') || null,
              landing: sparkConnect.landing,
            }
          : {}),
        notify_on_failure: profile.notifications.onFailure.join(', ') || null,
      },
    },
  };
}

function use(ctx: CommandContext, name: string | undefined): CommandOutcome {
  if (name === undefined) throw new UsageError('`lhctl env use` needs the env to switch to', { hint: `Envs: ${profileNames(ctx.settings.profilesDir).join(', ')}.` });
  const profile = loadProfile(ctx.settings.profilesDir, name);
  mkdirSync(ctx.settings.home, { recursive: true });
  writeFileAtomic(selectedEnvFile(ctx.settings.home), `${profile.name}\n`);
  const pinned = ctx.settings.processEnv['LHCTL_ENV'];
  if (pinned && pinned !== profile.name) ctx.ui.warn(`LHCTL_ENV=${pinned} is set in this shell and still wins over \`env use\`; unset it to follow ${profile.name}.`);
  const protectedNote = profile.protected ? ` It is protected: read-only until \`lhctl arm --env ${profile.name}\`.` : '';
  return { data: { kind: 'message', text: `commands without --env now go to env "${profile.name}" (${envTarget(profile)}).${protectedNote}` } };
}

export const envCommand: Command = {
  name: 'env',
  summary: 'List the environments, show one, or choose the one commands use by default',
  positionals: [],
  verbs: [
    { name: 'list', summary: 'Every env, the current one marked', examples: ['lhctl env list'] },
    {
      name: 'show',
      summary: 'One env: target, schemas, protection, credential in use',
      positionals: [{ name: 'name', description: 'the env (default: the current one)', required: false, complete: 'env' }],
      examples: ['lhctl env show prod'],
    },
    { name: 'use', summary: 'The env commands use when --env is not given', positionals: [{ name: 'name', description: 'the env', required: true, complete: 'env' }], examples: ['lhctl env use qa'] },
  ],
  options: {},
  // `env use` answers in one line; list and show are tables.
  presentation: { view: (args) => (['list', 'show'].includes(args.positionals[0] ?? '') ? { kind: 'result' } : { kind: 'status' }) },
  examples: ['lhctl env list', 'lhctl env show prod', 'lhctl env use qa', 'LHCTL_ENV=dev lhctl tables   # pin an env for one shell'],
  async run(ctx, args) {
    const [verb, name] = args.positionals;
    switch (verb) {
      case 'list':
        return list(ctx);
      case 'show':
        return show(ctx, name);
      case 'use':
        return use(ctx, name);
      default:
        throw new UsageError(`unknown env verb "${verb ?? ''}"`, { hint: `Use one of: ${ENV_VERBS.join(', ')}.` });
    }
  },
};
