import { localSharing } from '../ops/localShares.js';
import { databricksSharing } from '../ops/shares.js';
import type { SharingCatalogOps } from '../ops/sharing.js';
import type { CommandContext } from './command.js';
import { workspaceOf } from './databricksContext.js';

/** The env's shares and recipients: Unity Catalog on Databricks, lhctl's own catalog on the local env. */
export async function sharingOf(ctx: CommandContext, verb: string): Promise<SharingCatalogOps> {
  if (ctx.profile.engine === 'local') return localSharing({ home: ctx.settings.home, profile: ctx.profile, engine: () => ctx.engine(), signal: ctx.signal });
  return databricksSharing(await workspaceOf(ctx, verb, 'shares'));
}
