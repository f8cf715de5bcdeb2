import { ConfigError } from '../core/errors.js';
import type { Capability } from '../engines/capabilities.js';
import { envCan } from './capability.js';
import type { Column, Row } from '../core/types.js';
import { openWorkspace, type DatabricksWorkspace } from '../ops/workspace.js';
import type { CommandContext, TableData } from './command.js';

/**
 * The env's workspace client; workspace commands need a Databricks profile. The SDK loads only
 * here, so local commands and `--help` never pay for it.
 */
export async function workspaceOf(ctx: CommandContext, verb: string, capability: Capability = 'jobs'): Promise<DatabricksWorkspace> {
  if (!envCan(ctx.profile, capability)) {
    throw new ConfigError(`\`lhctl ${verb}\` works on a Databricks env; "${ctx.profile.name}" is ${ctx.profile.engine}`, {
      hint: 'Pass --env dev, --env qa or --env prod (or set LHCTL_ENV).',
    });
  }
  return openWorkspace(ctx.settings, ctx.profile);
}

/** A small table of text columns, the shape most workspace listings take. */
export function textTable(title: string, names: string[], rows: Row[]): TableData {
  const columns: Column[] = names.map((name) => ({ name, type: 'string', nullable: true }));
  return { kind: 'table', title, columns, rows };
}

/** Epoch milliseconds from the REST API → ISO text, or null. */
export function isoTime(epochMs: number | undefined): string | null {
  return typeof epochMs === 'number' && epochMs > 0 ? new Date(epochMs).toISOString() : null;
}
