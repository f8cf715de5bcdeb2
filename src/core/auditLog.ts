import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redactor } from './redaction.js';

export function auditFile(home: string): string {
  return join(home, 'audit.jsonl');
}

const redactor = new Redactor();

/**
 * Appends one JSON line to `<home>/audit.jsonl` (mode 600), credential-shaped text masked. A failure to
 * write never fails the action itself: the log is a record, not a gate.
 */
export function appendAuditLine(home: string, line: object): void {
  try {
    mkdirSync(home, { recursive: true });
    appendFileSync(auditFile(home), `${redactor.redact(JSON.stringify(line))}\n`, { mode: 0o600 });
  } catch {
    // an unwritable home must not stop an incident responder or a partner's read
  }
}
