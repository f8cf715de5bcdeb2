import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import type { RenderTarget } from '../sql/index.js';

/**
 * Where an env's sources land: `<home>/local/landing` for the local engine, the profile's volume on Databricks,
 * the profile's landing (a path or an s3a://, abfss://… URL the cluster reads) on a Spark Connect cluster.
 */
export function landingRoot(profile: Profile, settings: Settings): string {
  return profile.databricks?.landing ?? profile.sparkConnect?.landing ?? join(settings.home, 'local', 'landing');
}

/** The landing as a folder on this machine, when it is one (`file://` included); undefined for an object store. */
export function localLandingDir(profile: Profile, settings: Settings): string | undefined {
  if (profile.databricks) return undefined;
  const landing = landingRoot(profile, settings);
  if (landing.startsWith('/')) return landing;
  return landing.startsWith('file://') ? fileURLToPath(landing) : undefined;
}

/** What the pipeline SQL is rendered for in an env. */
export function pipelineTarget(profile: Profile, settings: Settings): RenderTarget {
  return { profile, landing: landingRoot(profile, settings) };
}
