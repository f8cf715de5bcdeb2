/** A contract workspace (Jobs, Workspace files, Shares, Recipients) and command contexts bound to it. */
import type { CommandContext, CommandOutcome, CommandData } from '../../../src/commands/command.js';
import type { SqlEngine } from '../../../src/engines/engine.js';
import type { Profile } from '../../../src/profiles/profile.js';
import type { Settings } from '../../../src/profiles/settings.js';
import { FAKE_TOKEN, databricksProfile, loopbackSettings } from './fixtures.js';
import { jobsRoutes, newJobsState, type JobsState } from './jobsContract.js';
import { startRestServer, type RestServer } from './restServer.js';
import { newSharingState, sharingRoutes, type SharingState } from './sharingContract.js';

export interface ContractWorkspace {
  server: RestServer;
  jobs: JobsState;
  sharing: SharingState;
}

export async function startContractWorkspace(): Promise<ContractWorkspace> {
  const jobs = newJobsState();
  const sharing = newSharingState();
  const server = await startRestServer({ token: FAKE_TOKEN, routes: { ...jobsRoutes(jobs), ...sharingRoutes(sharing) } });
  return { server, jobs, sharing };
}

export interface RecordedUi {
  progress: string[];
  warnings: string[];
  questions: string[];
}

export function commandContext(
  settingsOrHost: Settings | string,
  options: { profile?: Profile; assumeYes?: boolean; answer?: string; env?: string; signal?: AbortSignal } = {},
): { ctx: CommandContext; ui: RecordedUi } {
  const settings = typeof settingsOrHost === 'string' ? loopbackSettings(settingsOrHost) : settingsOrHost;
  const ui: RecordedUi = { progress: [], warnings: [], questions: [] };
  const ctx: CommandContext = {
    settings,
    profile: options.profile ?? databricksProfile(options.env ?? 'qa', { protected: options.env === 'prod' }),
    engine: (): Promise<SqlEngine> => Promise.reject(new Error('workspace commands do not open the SQL engine')),
    ui: {
      progress: (m) => ui.progress.push(m),
      meter: () => undefined,
      warn: (m) => ui.warnings.push(m),
      confirm: async (question, expected) => {
        ui.questions.push(question);
        return options.answer === expected;
      },
    },
    signal: options.signal ?? new AbortController().signal,
    assumeYes: options.assumeYes ?? false,
  };
  return { ctx, ui };
}

/** Everything a command's data would print, flattened to strings, for assertions and redaction checks. */
export async function dataText(data: CommandData): Promise<string> {
  switch (data.kind) {
    case 'message':
      return data.text;
    case 'record':
      return `${data.title ?? ''}\n${JSON.stringify(data.data, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
    case 'table': {
      const lines = [data.title ?? '', data.columns.map((c) => c.name).join('|')];
      if (Array.isArray(data.rows)) for (const row of data.rows) lines.push(row.map(String).join('|'));
      else for await (const batch of data.rows) for (const row of batch) lines.push(row.map(String).join('|'));
      return lines.join('\n');
    }
    case 'multi': {
      const parts: string[] = [];
      if (Array.isArray(data.results)) for (const r of data.results) parts.push(await dataText(r));
      else for await (const r of data.results) parts.push(await dataText(r));
      return parts.join('\n');
    }
  }
}

/** Rows of the first table in a command's data. */
export function tableRows(outcome: CommandOutcome, index = 0): unknown[][] {
  const data = outcome.data;
  const tables = data.kind === 'table' ? [data] : data.kind === 'multi' && Array.isArray(data.results) ? data.results.filter((r) => r.kind === 'table') : [];
  const table = tables[index];
  if (!table || table.kind !== 'table' || !Array.isArray(table.rows)) throw new Error('no materialized table in the outcome');
  return table.rows;
}
