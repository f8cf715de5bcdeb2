import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { packageRoot } from '../core/paths.js';

/** Everything lhctl takes from the process environment, read in this one place. */
export interface Settings {
  /** $LHCTL_HOME, default ~/.lhctl: runtime, local data, run records, audit log. */
  home: string;
  /** Where profiles are read from: $LHCTL_PROFILES_DIR or the bundled profiles/. */
  profilesDir: string;
  /** NO_COLOR is set (https://no-color.org). */
  noColor: boolean;
  /** $JAVA_HOME when set; otherwise `java` is looked up on PATH. */
  javaHome: string | undefined;
  /** Env when --env is not given: $LHCTL_ENV, else the one chosen with `lhctl env use`, else "local". */
  defaultEnv: string;
  /** Where `defaultEnv` came from, for `lhctl env show` and error hints. */
  defaultEnvSource: EnvSource;
  /** The raw environment handed to child processes (the engine server) and to the Databricks SDK. */
  processEnv: NodeJS.ProcessEnv;
}

export type EnvSource = 'LHCTL_ENV' | 'lhctl env use' | 'default';

/** `lhctl env use` writes the chosen env's name here; like `kubectl config use-context`, it lasts. */
export function selectedEnvFile(home: string): string {
  return join(home, 'env');
}

/** The env chosen with `lhctl env use`, if its profile still exists (a deleted one falls back to local). */
function selectedEnv(home: string, profilesDir: string): string | undefined {
  let name: string;
  try {
    name = readFileSync(selectedEnvFile(home), 'utf8').trim();
  } catch {
    return undefined;
  }
  const known = name !== '' && ['yaml', 'yml'].some((ext) => existsSync(join(profilesDir, `${name}.${ext}`)));
  return known ? name : undefined;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const home = env['LHCTL_HOME'] ? resolve(env['LHCTL_HOME']) : join(homedir(), '.lhctl');
  const profilesDir = env['LHCTL_PROFILES_DIR'] ? resolve(env['LHCTL_PROFILES_DIR']) : join(packageRoot(), 'profiles');
  const pinned = env['LHCTL_ENV'] || undefined;
  const selected = pinned === undefined ? selectedEnv(home, profilesDir) : undefined;
  return {
    home,
    profilesDir,
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    javaHome: env['JAVA_HOME'] || undefined,
    defaultEnv: pinned ?? selected ?? 'local',
    defaultEnvSource: pinned !== undefined ? 'LHCTL_ENV' : selected !== undefined ? 'lhctl env use' : 'default',
    processEnv: env,
  };
}
