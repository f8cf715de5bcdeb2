import { ConfigError } from '../core/errors.js';
import { CAPABILITY_NAMES, capabilitiesOf, type Capability } from '../engines/capabilities.js';
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
