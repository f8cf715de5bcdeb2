import { UsageError } from '../core/errors.js';
import type { Row } from '../core/types.js';
import type { SharedTable } from '../ops/shares.js';
import type { SharingCatalogOps } from '../ops/sharing.js';
import { requireWritable } from './arm.js';
import type { Command, CommandContext, CommandOutcome, ParsedArgs } from './command.js';
import { textTable } from './databricksContext.js';
import { sharingOf } from './sharingContext.js';

const USAGE: Record<string, string> = {
  list: 'shares list',
  show: 'shares show <share>',
  create: 'shares create <share> [--comment <text>]',
  'add-table': 'shares add-table <share> <catalog.schema.table> [--history] [--partition "region=\'EU\'"] [--as <schema.table>]',
  'remove-table': 'shares remove-table <share> <catalog.schema.table>',
  grant: 'shares grant <share> <recipient>',
  revoke: 'shares revoke <share> <recipient>',
  exposure: 'shares exposure <recipient>',
};

function operands(args: ParsedArgs, verb: string, count: number): string[] {
  const rest = args.positionals.slice(1);
  if (rest.length !== count) throw new UsageError(`\`lhctl ${USAGE[verb]}\` takes ${count} argument(s), got ${rest.length}`, { hint: `Usage: lhctl ${USAGE[verb]}` });
  return rest;
}

function tableRows(tables: SharedTable[]): Row[] {
  return tables.map((t) => [t.share, t.table, t.sharedAs, t.history ? 'yes' : 'no', t.partitions || null, t.status]);
}

/** `sales.fact_sales (every version), sales.daily (current version, rows where region=EU)`. */
function exposureText(tables: SharedTable[]): string {
  if (tables.length === 0) return 'no tables yet';
  return tables.map((t) => `${t.sharedAs} (${t.history ? 'every version' : 'current version'}${t.partitions ? `, rows where ${t.partitions}` : ''})`).join(', ');
}

const TABLE_COLUMNS = ['share', 'table', 'shared_as', 'history', 'partitions', 'status'];

async function show(sharing: SharingCatalogOps, share: string): Promise<CommandOutcome> {
  const { share: info, tables, recipients } = await sharing.showShare(share);
  return {
    data: {
      kind: 'multi',
      results: [
        { kind: 'record', title: `share ${share}`, data: { name: info.name, owner: info.owner, comment: info.comment, created: info.created } },
        textTable('tables', TABLE_COLUMNS, tableRows(tables)),
        textTable(
          'recipients',
          ['recipient', 'privileges'],
          recipients.map((r) => [r.recipient, r.privileges]),
        ),
      ],
    },
  };
}

async function change(ctx: CommandContext, args: ParsedArgs, verb: string, sharing: SharingCatalogOps): Promise<CommandOutcome> {
  switch (verb) {
    case 'create': {
      const [share] = operands(args, verb, 1) as [string];
      await requireWritable(ctx, `create share ${share}`);
      const comment = typeof args.options['comment'] === 'string' ? args.options['comment'] : undefined;
      const info = await sharing.createShare(share, comment);
      return { data: { kind: 'message', text: `created share ${info.name}` } };
    }
    case 'add-table': {
      const [share, table] = operands(args, verb, 2) as [string, string];
      const history = args.options['history'] === true;
      await requireWritable(ctx, { description: `share table ${table}${history ? ' with its history' : ''} through ${share}`, destructive: true, confirmText: share });
      const partitions = args.options['partition'];
      const sharedAs = typeof args.options['as'] === 'string' ? args.options['as'] : undefined;
      const added = await sharing.addTable(share, table, { history, partitions: Array.isArray(partitions) ? partitions : typeof partitions === 'string' ? [partitions] : [], sharedAs });
      if (added.warning) ctx.ui.warn(added.warning);
      const seenAs = added.sharedAs !== added.table ? ` as ${added.sharedAs}` : '';
      return { data: { kind: 'message', text: `share ${share} now includes ${added.table}${seenAs}${history ? ' (with history)' : ''}` } };
    }
    case 'remove-table': {
      const [share, table] = operands(args, verb, 2) as [string, string];
      await requireWritable(ctx, `remove ${table} from share ${share}`);
      await sharing.removeTable(share, table);
      return { data: { kind: 'message', text: `removed ${table} from share ${share}` } };
    }
    case 'grant':
    case 'revoke': {
      const [share, recipient] = operands(args, verb, 2) as [string, string];
      const grant = verb === 'grant';
      // The confirmation says what the grant exposes: which tables, which versions, which rows.
      const exposed = grant ? `: ${exposureText((await sharing.showShare(share)).tables)}` : '';
      await requireWritable(
        ctx,
        grant ? { description: `let recipient ${recipient} read share ${share}${exposed}`, destructive: true, confirmText: recipient } : `revoke ${recipient}'s access to share ${share}`,
      );
      await sharing.setAccess(share, recipient, grant ? 'grant' : 'revoke');
      return { data: { kind: 'message', text: grant ? `${recipient} can now read share ${share}` : `${recipient} can no longer read share ${share}` } };
    }
    default:
      throw new UsageError(`unknown shares verb "${verb}"`, { hint: `Verbs: ${Object.keys(USAGE).join(', ')}.` });
  }
}

export const sharesCommand: Command = {
  name: 'shares',
  summary: 'Delta Sharing shares: list, show, create, add or remove tables, grant, revoke, exposure',
  positionals: [],
  verbs: Object.entries(USAGE).map(([name, usage]) => ({
    name,
    summary: `lhctl ${usage}`,
    positionals: [{ name: 'operands', description: 'share, table or recipient names', required: false, variadic: true }],
    examples: [`lhctl ${usage} --env prod`],
  })),
  defaultVerb: 'list',
  options: {
    comment: { type: 'string', description: 'Comment of a new share', valueName: '<text>' },
    history: { type: 'boolean', description: 'add-table: share the table history (time travel, CDF) too' },
    partition: { type: 'string', multiple: true, description: "add-table: share only matching partitions, e.g. region='EU'", valueName: '<spec>' },
    as: { type: 'string', description: 'add-table: the name recipients see (schema.table)', valueName: '<name>' },
  },
  needs: ['shares'],
  examples: Object.values(USAGE).map((u) => `lhctl ${u} --env prod`),
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'list';
    const sharing = await sharingOf(ctx, 'shares');
    if (verb === 'list') {
      operands(args, verb, 0);
      const shares = await sharing.listShares();
      return {
        data: textTable(
          `shares on ${ctx.profile.name}`,
          ['share', 'owner', 'comment', 'created'],
          shares.map((s) => [s.name, s.owner, s.comment, s.created]),
        ),
      };
    }
    if (verb === 'show') return show(sharing, operands(args, verb, 1)[0]!);
    if (verb === 'exposure') {
      const exposure = await sharing.exposure(operands(args, verb, 1)[0]!);
      return {
        data: {
          kind: 'multi',
          results: [
            {
              kind: 'record',
              title: `what ${exposure.recipient} can read now`,
              data: {
                recipient: exposure.recipient,
                activated: exposure.activated,
                authentication: exposure.authentication,
                token_expires: exposure.tokenExpires ?? null,
                tables: exposure.tables.length,
              },
            },
            textTable('readable tables', TABLE_COLUMNS, tableRows(exposure.tables)),
          ],
        },
      };
    }
    return change(ctx, args, verb, sharing);
  },
};
