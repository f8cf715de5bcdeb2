import { ConfigError } from '../core/errors.js';
import { CAPABILITY_NAMES, capabilitiesOf, type Capability } from '../engines/capabilities.js';
import type { SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import type { Command } from './command.js';

/** Whether the env's engine offers a feature; read from the profile, no connection opened. */
export function envCan(profile: Profile, capability: Capability): boolean {
  return capabilitiesOf(profile.engine)[capability];
}

/** The capabilities a command declares (`needs`) that the env lacks; empty when it can run there. */
export function missingCapabilities(command: Pick<Command, 'needs'>, profile: Profile): Capability[] {
  return (command.needs ?? []).filter((capability) => !envCan(profile, capability));
}

/** Refuses an action the env cannot do, saying which kind of env can. */
export function requireCapability(what: string, profile: Profile, capability: Capability): void {
  if (envCan(profile, capability)) return;
  throw new ConfigError(`\`lhctl ${what}\` needs ${CAPABILITY_NAMES[capability]}, which env "${profile.name}" (${profile.engine}) does not have`, {
    hint: capabilitiesOf('local')[capability] ? 'Drop --env, or use --env local.' : 'Pass --env dev, --env qa or --env prod (or set LHCTL_ENV).',
  });
}

/** What to do when a connected engine lacks a feature the env's kind usually has. */
const CONNECTED_HINTS: Partial<Record<Capability, string>> = {
  delta:
    'Configure Delta Lake on the cluster: the delta-spark jar matching its Spark version, spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension and ' +
    'spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog.',
};

/**
 * Refuses a command whose engine, once connected, lacks what it needs: a cluster's features are known only
 * from the server (a Spark Connect cluster without Delta), so this is checked again after the env's kind.
 */
export function requireEngineCapabilities(command: Pick<Command, 'name' | 'needs'>, profile: Profile, engine: SqlEngine): void {
  const missing = (command.needs ?? []).find((capability) => !engine.capabilities[capability]);
  if (missing === undefined) return;
  throw new ConfigError(`\`lhctl ${command.name}\` needs ${CAPABILITY_NAMES[missing]}, which the engine of env "${profile.name}" (${profile.engine}) does not have`, {
    hint: CONNECTED_HINTS[missing] ?? 'Use another env.',
  });
}
