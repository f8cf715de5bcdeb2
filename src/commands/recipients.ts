import { ConfigError, UsageError } from '../core/errors.js';
import type { Value } from '../core/types.js';
import { checkShareName } from '../ops/shares.js';
import type { RecipientSummary } from '../ops/sharing.js';
import { requireWritable } from './arm.js';
import type { Command, CommandOutcome, ParsedArgs } from './command.js';
import { textTable } from './databricksContext.js';
import { numberOption } from './deltaTable.js';
import { sharingOf } from './sharingContext.js';

const USAGE: Record<string, string> = {
  list: 'recipients list',
  create: 'recipients create <recipient> [--comment <text>] [--token-lifetime 30d]',
  show: 'recipients show <recipient>',
  'rotate-token': 'recipients rotate-token <recipient> [--expire-existing <now|30m|24h>]',
  revoke: 'recipients revoke <recipient>',
};

function operand(args: ParsedArgs, verb: string): string {
  const rest = args.positionals.slice(1);
  if (rest.length !== 1) throw new UsageError(`\`lhctl ${USAGE[verb]}\` takes one recipient name`, { hint: `Usage: lhctl ${USAGE[verb]}` });
  return checkShareName(rest[0]!, 'recipient');
}

function recipientRecord(title: string, info: RecipientSummary): CommandOutcome {
  const data: Record<string, Value> = {
    name: info.name,
    authentication: info.authentication,
    activated: info.activated,
    token_expires: info.tokenExpires,
    ...(info.profileFile === undefined ? { activation_url: info.activationUrl } : { profile_file: info.profileFile, revoked: info.revoked ?? null }),
    owner: info.owner,
    comment: info.comment,
    created: info.created,
  };
  return { data: { kind: 'record', title, data } };
}

/** `now` → 0 s; `30m`, `24h`, `2d` → seconds. The API can only shorten an existing token's life. */
function expirySeconds(text: string): number {
  if (text === 'now') return 0;
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new UsageError(`cannot read "${text}"`, { hint: 'Use now, or a number with s, m, h or d, e.g. 24h.' });
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

const PROFILE_NOTE = 'the profile file holds the bearer token (lhctl keeps only its hash): send it to the recipient over a safe channel, once';

export const recipientsCommand: Command = {
  name: 'recipients',
  summary: 'Delta Sharing recipients: list, create, show, rotate-token, revoke',
  positionals: [],
  verbs: Object.entries(USAGE).map(([name, usage]) => ({
    name,
    summary: `lhctl ${usage}`,
    positionals: [{ name: 'operands', description: 'recipient name', required: false, variadic: true }],
    examples: [`lhctl ${usage} --env prod`],
  })),
  defaultVerb: 'list',
  options: {
    comment: { type: 'string', description: 'Comment of a new recipient', valueName: '<text>' },
    'expire-existing': { type: 'string', description: 'rotate-token: when the current token stops working (default 1h)', valueName: '<now|1h>' },
    'token-lifetime': {
      type: 'duration',
      min: 1000,
      verbs: ['create', 'rotate-token'],
      description: 'create, rotate-token (local env): how long the new token works (default 90d; Databricks sets it for the metastore)',
      valueName: '<30d>',
    },
  },
  needs: ['shares'],
  examples: Object.values(USAGE).map((u) => `lhctl ${u} --env prod`),
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'list';
    const sharing = await sharingOf(ctx, 'recipients');
    const tokenLifetimeMs = numberOption(args, 'token-lifetime');
    switch (verb) {
      case 'list': {
        const recipients = await sharing.listRecipients();
        const rows = recipients.map((r) => [r.name, r.authentication, r.activated, r.tokenExpires, r.created]);
        return { data: textTable(`recipients on ${ctx.profile.name}`, ['recipient', 'authentication', 'activated', 'token_expires', 'created'], rows) };
      }
      case 'show':
        return recipientRecord(`recipient ${operand(args, verb)}`, await sharing.showRecipient(operand(args, verb)));
      case 'create': {
        const name = operand(args, verb);
        await requireWritable(ctx, `create recipient ${name}`);
        const comment = typeof args.options['comment'] === 'string' ? args.options['comment'] : undefined;
        const created = await sharing.createRecipient(name, { comment, tokenLifetimeMs });
        const title = created.profileFile ? `recipient ${name} created; ${PROFILE_NOTE}` : `recipient ${name} created; send the activation link to the recipient once`;
        return recipientRecord(title, created);
      }
      case 'rotate-token': {
        const name = operand(args, verb);
        const expireOption = args.options['expire-existing'];
        const seconds = expirySeconds(typeof expireOption === 'string' ? expireOption : '1h');
        await requireWritable(ctx, {
          description: `rotate the token of recipient ${name} (the current one stops working ${seconds === 0 ? 'now' : `in ${seconds} s`})`,
          destructive: true,
          confirmText: name,
        });
        const rotated = await sharing.rotateToken(name, seconds, tokenLifetimeMs);
        return recipientRecord(rotated.profileFile ? `recipient ${name}: new token issued; ${PROFILE_NOTE}` : `recipient ${name}: new token issued`, rotated);
      }
      case 'revoke': {
        const name = operand(args, verb);
        if (!sharing.revokeRecipient) {
          throw new ConfigError(`\`lhctl recipients revoke\` works on the local env; on ${ctx.profile.name} take the recipient's grants away instead`, {
            hint: `lhctl shares revoke <share> ${name}, or lhctl recipients rotate-token ${name} --expire-existing now`,
          });
        }
        await requireWritable(ctx, { description: `revoke recipient ${name}: every token stops working now`, destructive: true, confirmText: name });
        return recipientRecord(`recipient ${name} revoked: its tokens no longer work`, await sharing.revokeRecipient(name));
      }
      default:
        throw new UsageError(`unknown recipients verb "${verb}"`, { hint: `Verbs: ${Object.keys(USAGE).join(', ')}.` });
    }
  },
};
