/** Profiles, settings and fake credentials shared by the Databricks suites. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../../src/profiles/profile.js';
import type { Settings } from '../../../src/profiles/settings.js';

/** Shaped like real credentials so both the value list and the pattern redaction are exercised. */
export const FAKE_TOKEN = 'dapi0123456789abcdef0123456789abcdef';
export const FAKE_CLIENT_SECRET = 'dose0fedcba9876543210fedcba98765432';
export const FAKE_CLIENT_ID = '6f1c2a34-aaaa-bbbb-cccc-1234567890ab';

export function databricksProfile(name: string, options: { protected?: boolean; workspaceDir?: string; httpPath?: string; onFailure?: string[] } = {}): Profile {
  return {
    name,
    engine: 'databricks',
    catalog: 'retail_datalake',
    schemas: { bronze: `${name}_bronze`, silver: `${name}_silver`, gold: `${name}_gold` },
    protected: options.protected ?? false,
    databricks: {
      authProfile: `retail-${name}`,
      host: undefined,
      warehouseHttpPath: options.httpPath ?? '/sql/1.0/warehouses/abc123',
      landing: `/Volumes/retail_datalake/${name}_bronze/landing`,
      workspaceDir: options.workspaceDir ?? `/Shared/lhctl/${name}`,
    },
    notifications: { onFailure: options.onFailure ?? [] },
    sources: {},
    file: `profiles/${name}.yaml`,
  };
}

/** Settings whose environment points the SDK at a loopback host with a fake PAT. */
export function loopbackSettings(host: string, extraEnv: Record<string, string> = {}): Settings {
  const home = mkdtempSync(join(tmpdir(), 'lhctl-home-'));
  return {
    home,
    profilesDir: join(home, 'profiles'),
    noColor: true,
    javaHome: undefined,
    defaultEnv: 'qa',
    defaultEnvSource: 'LHCTL_ENV',
    processEnv: {
      DATABRICKS_HOST: host,
      DATABRICKS_TOKEN: FAKE_TOKEN,
      // A missing file keeps the operator's real ~/.databrickscfg out of the tests.
      DATABRICKS_CONFIG_FILE: join(home, 'no-databrickscfg'),
      ...extraEnv,
    },
  };
}

/**
 * A home for the real CLI holding one Databricks profile, `<name>.yaml`, with `extraYaml` appended (e.g. a
 * `sources:` block), and the environment that points lhctl at it with the fake token and no ~/.databrickscfg.
 */
export function cliHomeWithDatabricksProfile(
  name: string,
  options: { schemaPrefix: string; host?: string; httpPath?: string; protected?: boolean; extraYaml?: string[] },
): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), `lhctl-${name}-`));
  const profiles = join(home, 'profiles');
  mkdirSync(profiles);
  const prefix = options.schemaPrefix;
  writeFileSync(
    join(profiles, `${name}.yaml`),
    [
      `name: ${name}`,
      'engine: databricks',
      'catalog: retail_datalake',
      `schemas: { bronze: ${prefix}_bronze, silver: ${prefix}_silver, gold: ${prefix}_gold }`,
      `protected: ${options.protected ?? false}`,
      'databricks:',
      ...(options.host ? [`  host: ${options.host}`] : []),
      `  warehouse_http_path: ${options.httpPath ?? '/sql/1.0/warehouses/abc123'}`,
      `  landing: /Volumes/retail_datalake/${prefix}_bronze/landing`,
      `  workspace_dir: /Shared/lhctl/${name}`,
      ...(options.extraYaml ?? []),
      '',
    ].join('\n'),
  );
  const env = {
    LHCTL_HOME: home,
    LHCTL_PROFILES_DIR: profiles,
    LHCTL_ENV: '',
    DATABRICKS_HOST: '',
    DATABRICKS_TOKEN: FAKE_TOKEN,
    DATABRICKS_CONFIG_FILE: join(home, 'no-databrickscfg'),
  };
  return { home, env };
}
