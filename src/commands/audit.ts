import { userInfo } from 'node:os';
import { appendAuditLine, auditFile } from '../core/auditLog.js';
import { Redactor } from '../core/redaction.js';

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
