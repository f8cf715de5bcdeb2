/**
 * Contract tests for `lhctl shares …` and `lhctl recipients …` against the documented Unity Catalog
 * Shares, share permissions and Recipients endpoints.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetyError, UsageError } from '../../src/core/errors.js';
import type { CommandContext } from '../../src/commands/command.js';
import { recipientsCommand } from '../../src/commands/recipients.js';
import { sharesCommand } from '../../src/commands/shares.js';
import { commandContext, dataText, startContractWorkspace, tableRows, type ContractWorkspace } from './support/contractWorkspace.js';

let workspace: ContractWorkspace;
const FACT = 'retail_datalake.qa_gold.fact_sales';
const MART = 'retail_datalake.qa_gold.agg_daily_sales';

function run(command: typeof sharesCommand, ctx: CommandContext, positionals: string[], options: Record<string, string | boolean | string[]> = {}) {
  return command.run(ctx, { positionals, options });
}

beforeEach(async () => {
  workspace = await startContractWorkspace();
});

afterEach(async () => {
  await workspace.server.close();
});

describe('shares and recipients (Delta Sharing REST) — contract', () => {
  it('creates a share, adds tables with history and partition filters, and shows them', async () => {
    const { ctx } = commandContext(workspace.server.url, { assumeYes: true });
    await run(sharesCommand, ctx, ['create', 'retail_partners'], { comment: 'BI partners' });
    await run(sharesCommand, ctx, ['add-table', 'retail_partners', FACT], { history: true, partition: ["region='EU',channel=web", "region LIKE 'N%'"] });
    await run(sharesCommand, ctx, ['add-table', 'retail_partners', MART]);

    const update = workspace.server.calls.find((c) => c.method === 'PATCH' && c.path === '/api/2.1/unity-catalog/shares/retail_partners')!;
    expect(update.body).toEqual({
      updates: [
        {
          action: 'ADD',
          data_object: {
            name: FACT,
            data_object_type: 'TABLE',
            history_data_sharing_status: 'ENABLED',
            partitions: [
              {
                values: [
                  { name: 'region', op: 'EQUAL', value: 'EU' },
                  { name: 'channel', op: 'EQUAL', value: 'web' },
                ],
              },
              { values: [{ name: 'region', op: 'LIKE', value: 'N%' }] },
            ],
          },
        },
      ],
    });
    const shown = await run(sharesCommand, ctx, ['show', 'retail_partners']);
    expect(workspace.server.calls.at(-2)!.query).toEqual({ include_shared_data: 'true' });
    expect(tableRows(shown)).toEqual([
      ['retail_partners', FACT, 'qa_gold.fact_sales', 'yes', "region=EU AND channel=web OR region LIKE 'N%'", 'ACTIVE'],
      ['retail_partners', MART, 'qa_gold.agg_daily_sales', 'no', null, 'ACTIVE'],
    ]);
    await run(sharesCommand, ctx, ['remove-table', 'retail_partners', MART]);
    expect(workspace.server.calls.at(-1)!.body).toEqual({ updates: [{ action: 'REMOVE', data_object: { name: MART } }] });
    expect(workspace.server.violations).toEqual([]);
  });

  it('creates a recipient, grants it a share and answers what it can read now', async () => {
    const { ctx } = commandContext(workspace.server.url, { assumeYes: true });
    const created = await run(recipientsCommand, ctx, ['create', 'acme_bi'], { comment: 'Acme analytics' });
    expect(workspace.server.calls.at(-1)!.body).toEqual({ name: 'acme_bi', comment: 'Acme analytics', authentication_type: 'TOKEN' });
    expect(await dataText(created.data)).toContain('retrieve_config.html?acme_bi-1');
    await run(sharesCommand, ctx, ['create', 'retail_partners']);
    await run(sharesCommand, ctx, ['add-table', 'retail_partners', FACT], { history: true });
    await run(sharesCommand, ctx, ['grant', 'retail_partners', 'acme_bi']);
    expect(workspace.server.calls.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/api/2.1/unity-catalog/shares/retail_partners/permissions',
      body: { changes: [{ principal: 'acme_bi', add: ['SELECT'] }] },
    });

    const exposure = await run(sharesCommand, ctx, ['exposure', 'acme_bi']);
    const text = await dataText(exposure.data);
    expect(text).toContain('"activated":false');
    expect(text).toContain('"token_expires":"2026-02-22T');
    expect(tableRows(exposure)).toEqual([['retail_partners', FACT, 'qa_gold.fact_sales', 'yes', null, 'ACTIVE']]);

    await run(sharesCommand, ctx, ['revoke', 'retail_partners', 'acme_bi']);
    expect(workspace.server.calls.at(-1)!.body).toEqual({ changes: [{ principal: 'acme_bi', remove: ['SELECT'] }] });
    expect(tableRows(await run(sharesCommand, ctx, ['exposure', 'acme_bi']))).toEqual([]);
    expect(workspace.server.violations).toEqual([]);
  });

  it('lists recipients and rotates a token, shortening the old one as asked', async () => {
    const { ctx } = commandContext(workspace.server.url, { assumeYes: true });
    await run(recipientsCommand, ctx, ['create', 'acme_bi']);
    await run(recipientsCommand, ctx, ['rotate-token', 'acme_bi'], { 'expire-existing': 'now' });
    expect(workspace.server.calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/2.1/unity-catalog/recipients/acme_bi/rotate-token',
      body: { existing_token_expire_in_seconds: 0 },
    });
    const listed = await run(recipientsCommand, ctx, ['list']);
    expect(tableRows(listed)[0]!.slice(0, 3)).toEqual(['acme_bi', 'TOKEN', false]);
    const shown = await run(recipientsCommand, ctx, ['show', 'acme_bi']);
    expect(await dataText(shown.data)).toContain('retrieve_config.html?acme_bi-2');
    expect(workspace.server.violations).toEqual([]);
  });

  it('asks for a typed confirmation before widening access, and refuses on the wrong answer', async () => {
    const setup = commandContext(workspace.server.url, { assumeYes: true });
    await run(recipientsCommand, setup.ctx, ['create', 'acme_bi']);
    await run(sharesCommand, setup.ctx, ['create', 'retail_partners']);
    const wrong = commandContext(setup.ctx.settings, { answer: 'yes' });
    await expect(run(sharesCommand, wrong.ctx, ['grant', 'retail_partners', 'acme_bi'])).rejects.toBeInstanceOf(SafetyError);
    expect(wrong.ui.questions[0]).toContain('Type "acme_bi"');
    const right = commandContext(setup.ctx.settings, { answer: 'acme_bi' });
    await run(sharesCommand, right.ctx, ['grant', 'retail_partners', 'acme_bi']);
    expect(workspace.sharing.shares.get('retail_partners')!.grants.get('acme_bi')).toEqual(new Set(['SELECT']));
  });

  it('rejects malformed names before calling the workspace', async () => {
    const { ctx } = commandContext(workspace.server.url, { assumeYes: true });
    await expect(run(sharesCommand, ctx, ['add-table', 'retail_partners', 'fact_sales'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(sharesCommand, ctx, ['add-table', 'retail_partners', FACT], { partition: 'region ~ EU' })).rejects.toBeInstanceOf(UsageError);
    expect(workspace.server.calls).toEqual([]);
  });
});
