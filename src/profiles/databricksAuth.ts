import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { Profile } from './profile.js';
import type { Settings } from './settings.js';

/**
 * What the Databricks SDK's unified auth needs for one env, resolved from the profile and the
 * process environment. Secrets stay inside `sdkEnv`; `secrets` lists their values so every
 * message lhctl prints can be scrubbed of them.
 */
export interface DatabricksAuth {
  env: string;
  /** Workspace URL from the profile; the auth profile or DATABRICKS_HOST may supply it instead. */
  host: string | undefined;
  /** `~/.databrickscfg` section to read, unless the environment already carries credentials. */
  configProfile: string | undefined;
  configFile: string;
  /** The environment handed to the SDK's EnvironmentLoader. */
  sdkEnv: Record<string, string>;
  warehouseHttpPath: string;
  /** Values that must never appear in output, logs or errors. */
  secrets: string[];
}

/** Environment variables the SDK's unified auth understands; anything else is not passed on. */
const SDK_VARIABLES = [
  'DATABRICKS_HOST',
  'DATABRICKS_TOKEN',
  'DATABRICKS_CLIENT_ID',
  'DATABRICKS_CLIENT_SECRET',
  'DATABRICKS_CONFIG_PROFILE',
  'DATABRICKS_AUTH_TYPE',
  'DATABRICKS_ACCOUNT_ID',
  'DATABRICKS_AZURE_RESOURCE_ID',
  'ARM_CLIENT_ID',
  'ARM_CLIENT_SECRET',
  'ARM_TENANT_ID',
  'DATABRICKS_CLI_PATH',
  'HOME',
  'PATH',
] as const;

const SECRET_VARIABLES = ['DATABRICKS_TOKEN', 'DATABRICKS_CLIENT_SECRET', 'ARM_CLIENT_SECRET', 'DATABRICKS_PASSWORD'] as const;

/** Where credentials are looked for, in order; repeated in the missing-credential hint. */
export function credentialSources(auth: Pick<DatabricksAuth, 'configProfile' | 'configFile'>): string[] {
  return [
    'DATABRICKS_HOST + DATABRICKS_TOKEN (personal access token)',
    'DATABRICKS_HOST + DATABRICKS_CLIENT_ID + DATABRICKS_CLIENT_SECRET (OAuth M2M service principal)',
    auth.configProfile ? `profile [${auth.configProfile}] in ${auth.configFile} (auth_profile in the lhctl profile)` : `the DEFAULT profile in ${auth.configFile}`,
  ];
}

export function resolveDatabricksAuth(settings: Settings, profile: Profile): DatabricksAuth {
  const databricks = profile.databricks;
  if (profile.engine !== 'databricks' || databricks === undefined) {
    throw new ConfigError(`profile "${profile.name}" is not a Databricks profile (engine: ${profile.engine})`, {
      hint: 'Pick a Databricks env with --env dev|qa|prod, or set engine: databricks in the profile file.',
    });
  }
  const processEnv = settings.processEnv;
  const sdkEnv: Record<string, string> = {};
  for (const name of SDK_VARIABLES) {
    const value = processEnv[name];
    if (value !== undefined && value !== '') sdkEnv[name] = value;
  }
  // Credentials in the environment win over the profile's auth_profile: CI sets them per job.
  const envHasCredentials = sdkEnv['DATABRICKS_TOKEN'] !== undefined || sdkEnv['DATABRICKS_CLIENT_SECRET'] !== undefined;
  const configProfile = sdkEnv['DATABRICKS_CONFIG_PROFILE'] ?? (envHasCredentials ? undefined : databricks.authProfile);
  delete sdkEnv['DATABRICKS_CONFIG_PROFILE'];
  const configFileSetting = processEnv['DATABRICKS_CONFIG_FILE'];
  const configFile = configFileSetting ? resolve(configFileSetting.replace(/^~(?=$|\/)/, homedir())) : join(homedir(), '.databrickscfg');

  const secrets = SECRET_VARIABLES.map((name) => processEnv[name]).filter((v): v is string => typeof v === 'string' && v.length >= 4);
  return {
    env: profile.name,
    host: databricks.host,
    configProfile,
    configFile,
    sdkEnv,
    warehouseHttpPath: databricks.warehouseHttpPath,
    secrets,
  };
}

/** Which credential the SDK will use for this env, in words and without any secret value. */
export function credentialInUse(auth: DatabricksAuth): string {
  const env = auth.sdkEnv;
  if (env['DATABRICKS_TOKEN'] !== undefined) return 'personal access token from DATABRICKS_TOKEN';
  if (env['DATABRICKS_CLIENT_ID'] !== undefined && env['DATABRICKS_CLIENT_SECRET'] !== undefined) {
    return 'OAuth M2M service principal from DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET';
  }
  const section = auth.configProfile ?? 'DEFAULT';
  let config = '';
  try {
    config = readFileSync(auth.configFile, 'utf8');
  } catch {
    return `none found: ${auth.configFile} does not exist (looked for ${credentialSources(auth).join('; ')})`;
  }
  const present = config.split('\n').some((line) => line.trim() === `[${section}]`);
  return present ? `profile [${section}] in ${auth.configFile}` : `none found: no [${section}] in ${auth.configFile} (looked for ${credentialSources(auth).join('; ')})`;
}
