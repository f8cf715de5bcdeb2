import { existsSync, readFileSync } from 'node:fs';
import { auditFile } from '../core/auditLog.js';
import type { Row } from '../core/types.js';
import { queryRows, type ExecuteOptions, type SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import { stringLiteral } from '../sql/index.js';

export interface AuditFilter {
  /** Only this env's actions; undefined: every env. */
  env: string | undefined;
  /** Only actions at or after this time. */
  since: Date | undefined;
  user: string | undefined;
  /** The action's command words (`grants apply`, `sql`) start with this; on Databricks, the action name contains it. */
  action: string | undefined;
  limit: number;
}

/** One line of lhctl's own audit log, as `lhctl audit` lists it. */
export interface AuditLine {
  time: string;
  env: string;
  user: string;
  source: string;
  action: string;
  outcome: string;
  duration_ms: number | null;
  statements: number;
  command: string;
}

/** `lhctl grants apply --env qa` → `grants apply`: the command and its verb, the words before the first option or operand with quotes. */
export function actionOf(command: string): string {
  const words = command.replace(/^lhctl\s+/, '').split(/\s+/);
  const action: string[] = [];
  for (const word of words) {
    if (word.startsWith('-') || /['"`.]/.test(word) || action.length === 2) break;
    action.push(word);
  }
  return action.join(' ');
}

function lineOf(raw: Record<string, unknown>): AuditLine {
  // The sharing server records a partner's request, not a command.
  if (raw['source'] === 'sharing') {
    return {
      time: String(raw['time']),
      env: 'local',
      user: String(raw['recipient'] ?? ''),
      source: 'sharing',
      action: `sharing ${String(raw['method'] ?? '')} ${String(raw['object'] ?? '')}`.trim(),
      outcome: Number(raw['status']) < 400 ? 'ok' : `http ${String(raw['status'])}`,
      duration_ms: null,
      statements: 0,
      command: '',
    };
  }
  const command = String(raw['command'] ?? '');
  return {
    time: String(raw['time']),
    env: String(raw['env'] ?? ''),
    user: String(raw['user'] ?? ''),
    source: String(raw['source'] ?? ''),
    action: actionOf(command),
    outcome: String(raw['outcome'] ?? ''),
    duration_ms: typeof raw['duration_ms'] === 'number' ? raw['duration_ms'] : null,
    statements: Array.isArray(raw['sql']) ? raw['sql'].length : 0,
    command,
  };
}

/** lhctl's audit log under the home, filtered, newest first. */
export function readAuditLog(home: string, filter: AuditFilter): AuditLine[] {
  const file = auditFile(home);
  if (!existsSync(file)) return [];
  const lines: AuditLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    let line: AuditLine;
    try {
      line = lineOf(JSON.parse(text) as Record<string, unknown>);
    } catch {
      continue;
    }
    if (filter.env !== undefined && line.env !== filter.env) continue;
    if (filter.since && new Date(line.time) < filter.since) continue;
    if (filter.user !== undefined && line.user !== filter.user) continue;
    if (filter.action !== undefined && !`${line.action} `.startsWith(`${filter.action.trim()} `) && line.action !== filter.action.trim()) continue;
    lines.push(line);
  }
  return lines.reverse().slice(0, filter.limit);
}

/** Unity Catalog's audit events (system.access.audit) on the env's catalog, newest first. */
export async function workspaceAudit(engine: SqlEngine, profile: Profile, filter: AuditFilter, options: ExecuteOptions = {}): Promise<{ columns: string[]; rows: Row[] }> {
  const catalog = profile.catalog;
  const conditions = [
    "service_name = 'unityCatalog'",
    `(request_params['full_name_arg'] LIKE ${stringLiteral(`${catalog}.%`)} OR request_params['catalog_name'] = ${stringLiteral(catalog)} OR request_params['securable_full_name'] LIKE ${stringLiteral(`${catalog}%`)})`,
    ...(filter.since ? [`event_time >= TIMESTAMP ${stringLiteral(filter.since.toISOString())}`] : []),
    ...(filter.user !== undefined ? [`user_identity.email = ${stringLiteral(filter.user)}`] : []),
    ...(filter.action !== undefined ? [`lower(action_name) LIKE ${stringLiteral(`%${filter.action.toLowerCase()}%`)}`] : []),
  ];
  const sql =
    "SELECT event_time, user_identity.email AS user, action_name, coalesce(request_params['full_name_arg'], request_params['securable_full_name'], request_params['catalog_name']) AS object, response.status_code AS status " +
    `FROM system.access.audit WHERE ${conditions.join(' AND ')} ORDER BY event_time DESC LIMIT ${filter.limit}`;
  const { columns, rows } = await queryRows(engine, sql, options);
  return { columns: columns.map((c) => c.name), rows };
}
