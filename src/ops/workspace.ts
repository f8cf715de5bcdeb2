import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import type { DatabricksWorkspace } from '../engines/databricks/workspace.js';

export type { DatabricksWorkspace, jobs, sharing } from '../engines/databricks/workspace.js';

/** The workspace (Jobs, files, Shares, Recipients) of a Databricks env. The SDK loads only here, on first use. */
export async function openWorkspace(settings: Settings, profile: Profile): Promise<DatabricksWorkspace> {
  const { openDatabricksWorkspace } = await import('../engines/databricks/index.js');
  return openDatabricksWorkspace(settings, profile);
}
