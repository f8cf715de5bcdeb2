import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import type { Profile, SparkConnectSettings } from './profile.js';
import type { Settings } from './settings.js';
import { describeSparkConnectUrl } from './sparkConnectUrl.js';

/** What opening a Spark Connect env needs from the profile and the process environment. */
export interface SparkConnectAuth {
  settings: SparkConnectSettings;
  /** The bearer token, read from the variable the profile names; never printed. */
  token: string | undefined;
  /** The CA file's PEM when the profile names one. */
  caPem: Buffer | undefined;
  /** Values that must never appear in output, logs or errors. */
  secrets: string[];
}

function sparkConnectOf(profile: Profile): SparkConnectSettings {
  if (!profile.sparkConnect) {
    throw new ConfigError(`profile "${profile.name}" is not a Spark Connect profile (engine: ${profile.engine})`, {
      hint: 'Set engine: spark-connect and a spark_connect: section in the profile file.',
    });
  }
  return profile.sparkConnect;
}

export function resolveSparkConnectAuth(settings: Settings, profile: Profile): SparkConnectAuth {
  const sparkConnect = sparkConnectOf(profile);
  const { tokenEnv, caFile } = sparkConnect;
  const token = tokenEnv === undefined ? undefined : settings.processEnv[tokenEnv] || undefined;
  if (tokenEnv !== undefined && token === undefined) {
    throw new ConfigError(`env ${profile.name} takes its Spark Connect token from $${tokenEnv}, which is not set`, {
      hint: `Export ${tokenEnv} with the cluster's token (spark.connect.authenticate.token on the server) before running lhctl.`,
    });
  }
  let caPem: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      caPem = readFileSync(caFile);
    } catch (error) {
      throw new ConfigError(`${profile.file}: field \`spark_connect.ca_file\` names ${caFile}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
        hint: 'Point ca_file at the PEM file of the CA that signed the cluster certificate, or leave it out to use the system CA store.',
      });
    }
  }
  return { settings: sparkConnect, token, caPem, secrets: token ? [token] : [] };
}

/** How an env's credential is set, for `lhctl env show`: the variable's name and whether it is set, never its value. */
export function sparkConnectCredential(settings: Settings, profile: Profile): string {
  const { tokenEnv } = sparkConnectOf(profile);
  if (tokenEnv === undefined) return 'none (no token_env)';
  return `bearer token from $${tokenEnv} (${settings.processEnv[tokenEnv] ? 'set' : 'not set'})`;
}

/** `sc://host:port (TLS)`: the cluster an env reaches. */
export function sparkConnectTarget(profile: Profile): string {
  return describeSparkConnectUrl(sparkConnectOf(profile).url);
}
