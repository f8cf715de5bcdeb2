import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import type { RenderTarget } from '../sql/index.js';

/** Where an env's sources land: `<home>/local/landing` for the local engine, the profile's volume on Databricks. */
export function landingRoot(profile: Profile, settings: Settings): string {
  return profile.databricks ? profile.databricks.landing : join(settings.home, 'local', 'landing');
}

/** What the pipeline SQL is rendered for in an env. */
export function pipelineTarget(profile: Profile, settings: Settings): RenderTarget {
  return { profile, landing: landingRoot(profile, settings) };
}
