import { UsageError } from '../core/errors.js';
import type { Value } from '../core/types.js';
import type { sharing } from '../ops/workspace.js';
import { checkShareName } from '../ops/shares.js';
import { requireWritable } from './arm.js';
import type { Command, CommandOutcome, ParsedArgs } from './command.js';
import { isoTime, textTable, workspaceOf } from './databricksContext.js';

const USAGE: Record<string, string> = {
  list: 'recipients list',
  create: 'recipients create <recipient> [--comment <text>]',
  show: 'recipients show <recipient>',
  'rotate-token': 'recipients rotate-token <recipient> [--expire-existing <now|30m|24h>]',
};

function operand(args: ParsedArgs, verb: string): string {
  const rest = args.positionals.slice(1);
  if (rest.length !== 1) throw new UsageError(`\`lhctl ${USAGE[verb]}\` takes one recipient name`, { hint: `Usage: lhctl ${USAGE[verb]}` });
  return checkShareName(rest[0]!, 'recipient');
}

/** The newest token's expiry and, while unused, its one-time activation link. */
function tokenSummary(info: sharing.RecipientInfo): { token_expires: string | null; activation_url: string | null } {
  const newest = [...(info.tokens ?? [])].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
  return { token_expires: isoTime(newest?.expiration_time), activation_url: newest?.activation_url || info.activation_url || null };
}

function recipientRecord(title: string, info: sharing.RecipientInfo): CommandOutcome {
  const data: Record<string, Value> = {
    name: info.name ?? null,
    authentication: info.authentication_type ?? null,
    activated: info.activated ?? false,
    ...tokenSummary(info),
    owner: info.owner ?? null,
    comment: info.comment ?? null,
    created: isoTime(info.created_at),
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

export const recipientsCommand: Command = {
  name: 'recipients',
  summary: 'Delta Sharing recipients: list, create, show, rotate-token',
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
  },
  needs: ['shares'],
  examples: Object.values(USAGE).map((u) => `lhctl ${u} --env prod`),
  async run(ctx, args) {
    const verb = args.positionals[0] ?? 'list';
    const workspace = await workspaceOf(ctx, 'recipients', 'shares');
    switch (verb) {
      case 'list': {
        const recipients = await workspace.listRecipients();
        const rows = recipients.map((r) => [r.name ?? '', r.authentication_type ?? null, r.activated ?? false, tokenSummary(r).token_expires, isoTime(r.created_at)]);
        return { data: textTable(`recipients on ${ctx.profile.name}`, ['recipient', 'authentication', 'activated', 'token_expires', 'created'], rows) };
      }
      case 'show':
        return recipientRecord(`recipient ${operand(args, verb)}`, await workspace.getRecipient(operand(args, verb)));
      case 'create': {
        const name = operand(args, verb);
        await requireWritable(ctx, `create recipient ${name}`);
        const comment = typeof args.options['comment'] === 'string' ? args.options['comment'] : undefined;
        const outcome = recipientRecord(`recipient ${name} created; send the activation link to the recipient once`, await workspace.createRecipient(name, comment));
        return outcome;
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
        return recipientRecord(`recipient ${name}: new token issued`, await workspace.rotateRecipientToken(name, seconds));
      }
      default:
        throw new UsageError(`unknown recipients verb "${verb}"`, { hint: `Verbs: ${Object.keys(USAGE).join(', ')}.` });
    }
  },
};
