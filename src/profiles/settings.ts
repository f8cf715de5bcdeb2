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
  /** Default env when --env is not given: $LHCTL_ENV or "local". */
  defaultEnv: string;
  /** The raw environment handed to child processes (the engine server) and to the Databricks SDK. */
  processEnv: NodeJS.ProcessEnv;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const home = env['LHCTL_HOME'] ? resolve(env['LHCTL_HOME']) : join(homedir(), '.lhctl');
  return {
    home,
    profilesDir: env['LHCTL_PROFILES_DIR'] ? resolve(env['LHCTL_PROFILES_DIR']) : join(packageRoot(), 'profiles'),
    noColor: env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '',
    javaHome: env['JAVA_HOME'] || undefined,
    defaultEnv: env['LHCTL_ENV'] || 'local',
    processEnv: env,
  };
}
