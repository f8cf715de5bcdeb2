import { resolveDatabricksAuth } from '../../profiles/databricksAuth.js';
import type { Profile } from '../../profiles/profile.js';
import type { Settings } from '../../profiles/settings.js';
import type { SqlEngine } from '../engine.js';
import { DatabricksSqlEngine } from './warehouseEngine.js';
import { DatabricksWorkspace } from './workspace.js';

export { DatabricksSqlEngine, WAREHOUSE_FETCH_ROWS } from './warehouseEngine.js';
export { DatabricksWorkspace } from './workspace.js';
export { Redactor } from '../../core/redaction.js';
export { WorkspaceNotFoundError, WorkspacePermissionError, WorkspaceRequestError } from './workspaceErrors.js';

/** The SQL warehouse engine of a Databricks profile; the session opens on the first statement. */
export async function openDatabricksEngine(settings: Settings, profile: Profile): Promise<SqlEngine> {
  return new DatabricksSqlEngine(resolveDatabricksAuth(settings, profile), { catalog: profile.catalog });
}

/** The workspace (Jobs, files, Shares, Recipients) of a Databricks profile. */
export function openDatabricksWorkspace(settings: Settings, profile: Profile): DatabricksWorkspace {
  return new DatabricksWorkspace(resolveDatabricksAuth(settings, profile));
}
