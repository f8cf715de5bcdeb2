import { userInfo } from 'node:os';
import { appendAuditLine, auditFile } from '../core/auditLog.js';
import { Redactor } from '../core/redaction.js';
import { readAuditLog, workspaceAudit, type AuditFilter } from '../ops/auditQuery.js';
import { envCan } from './capability.js';
import type { Command, TableData } from './command.js';

export { auditFile };

export type AuditOutcome = 'ok' | 'failed' | 'cancelled' | 'refused';

/** One action, as a JSON line of `<home>/audit.jsonl`. */
export interface AuditEntry {
  time: string;
  env: string;
  user: string;
  /** Where the action came from: the console, the REPL or a one-shot command. */
  source: 'console' | 'repl' | 'cli';
  /** The equivalent one-shot command line, e.g. `lhctl history gold.dim_customer --env qa`. */
  command: string;
  /** Every statement the action sent to the engine, in order. */
  sql: string[];
  outcome: AuditOutcome;
  duration_ms: number;
  error?: string;
}

const redactor = new Redactor();

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Appends one action to the audit log. Credential-shaped text is masked before it is written;
 * a failure to write never fails the action itself (the log is a record, not a gate).
 */
export function appendAudit(home: string, entry: Omit<AuditEntry, 'time' | 'user'> & { time?: Date }): void {
  const line: AuditEntry = {
    time: (entry.time ?? new Date()).toISOString(),
    env: entry.env,
    user: osUser(),
    source: entry.source,
    command: redactor.redact(entry.command),
    sql: entry.sql.map((s) => redactor.redact(s)),
    outcome: entry.outcome,
    duration_ms: entry.duration_ms,
    ...(entry.error !== undefined ? { error: redactor.redact(entry.error) } : {}),
  };
  appendAuditLine(home, line);
}

const OWN_COLUMNS = ['time', 'env', 'user', 'source', 'action', 'outcome', 'duration_ms', 'statements', 'command'];

/** `lhctl audit`: lhctl's own audit log, filtered; on Databricks also Unity Catalog's audit of the env's catalog. */
export const auditCommand: Command = {
  name: 'audit',
  summary: "Who did what: lhctl's audit log (and Unity Catalog's on Databricks), by env, time, user and action",
  positionals: [],
  options: {
    since: { type: 'duration', description: 'Only actions this recent (90m, 1h, 7d)', valueName: '<1h|7d>' },
    user: { type: 'string', description: 'Only actions of this user (OS user; a recipient for sharing requests; an email on Databricks)', valueName: '<user>' },
    action: { type: 'string', description: 'Only this action: a command and verb (`grants apply`, `sql`); on Databricks, part of the action name', valueName: '<action>' },
    'all-envs': { type: 'boolean', description: "Every env's actions, not only the env's" },
    limit: { type: 'number', integer: true, min: 1, description: 'Newest N entries per log (default 50)', valueName: '<N>' },
  },
  examples: ['lhctl audit --since 1h', 'lhctl audit --env prod --action "grants apply"', 'lhctl audit --all-envs --user alice --since 7d -o json'],
  async run(ctx, args) {
    const since = args.options['since'] as number | undefined;
    const filter: AuditFilter = {
      env: args.options['all-envs'] === true ? undefined : ctx.profile.name,
      since: since === undefined ? undefined : new Date(Date.now() - since),
      user: typeof args.options['user'] === 'string' ? args.options['user'] : undefined,
      action: typeof args.options['action'] === 'string' ? args.options['action'] : undefined,
      limit: (args.options['limit'] as number | undefined) ?? 50,
    };
    const own = readAuditLog(ctx.settings.home, filter);
    const where = filter.env === undefined ? 'every env' : `env ${filter.env}`;
    const ownTable: TableData = {
      kind: 'table',
      title: `lhctl audit log, ${where} (newest first)`,
      columns: OWN_COLUMNS.map((name) => ({ name, type: name === 'duration_ms' || name === 'statements' ? 'bigint' : name === 'time' ? 'timestamp' : 'string', nullable: true })),
      rows: own.map((l) => [l.time, l.env, l.user, l.source, l.action, l.outcome, l.duration_ms, l.statements, l.command]),
    };
    if (!envCan(ctx.profile, 'unityCatalog')) return { data: ownTable };
    const remote = await workspaceAudit(await ctx.engine(), ctx.profile, filter, { signal: ctx.signal });
    const remoteTable: TableData = {
      kind: 'table',
      title: `system.access.audit on catalog ${ctx.profile.catalog} (newest first)`,
      columns: remote.columns.map((name) => ({ name, type: 'string', nullable: true })),
      rows: remote.rows,
    };
    return { data: { kind: 'multi', results: [ownTable, remoteTable] } };
  },
};
