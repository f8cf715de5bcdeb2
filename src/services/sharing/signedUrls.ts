import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SharingLayout } from './layout.js';

/** How long a file URL handed to a recipient stays valid. */
export const FILE_URL_LIFETIME_MS = 15 * 60_000;

/** The server's signing key, made once and kept (mode 600) so URLs survive a restart within their lifetime. */
export function signingKey(layout: SharingLayout): Buffer {
  if (!existsSync(layout.secretFile)) {
    mkdirSync(dirname(layout.secretFile), { recursive: true, mode: 0o700 });
    writeFileSync(layout.secretFile, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(layout.secretFile, 'utf8').trim(), 'hex');
}

/** What a file URL names: one file of one shared table, for one recipient, until a time. */
export interface FileGrant {
  tableId: string;
  /** The file's path relative to the table's folder, as the Delta log writes it. */
  path: string;
  recipient: string;
  expires: number;
}

function signature(key: Buffer, grant: FileGrant): string {
  return createHmac('sha256', key).update(`${grant.tableId}\n${grant.path}\n${grant.recipient}\n${grant.expires}`).digest('base64url');
}

/** `<base>/files/<table id>/<path>?r=<recipient>&e=<expiry ms>&s=<HMAC>`. */
export function signFileUrl(key: Buffer, base: string, grant: FileGrant): string {
  const path = grant.path.split('/').map(encodeURIComponent).join('/');
  const query = new URLSearchParams({ r: grant.recipient, e: String(grant.expires), s: signature(key, grant) });
  return `${base}/files/${grant.tableId}/${path}?${query.toString()}`;
}

export type FileUrlCheck = { grant: FileGrant } | { refused: string };

/** The grant a file URL carries, or why it is refused (altered, expired, malformed). */
export function verifyFileUrl(key: Buffer, url: URL, now = Date.now()): FileUrlCheck {
  const match = /^\/files\/([0-9a-f-]{36})\/(.+)$/.exec(url.pathname);
  const recipient = url.searchParams.get('r');
  const expires = Number(url.searchParams.get('e'));
  const presented = url.searchParams.get('s');
  if (!match || !recipient || !Number.isFinite(expires) || !presented) return { refused: 'malformed file URL' };
  let path: string;
  try {
    path = match[2]!.split('/').map(decodeURIComponent).join('/');
  } catch {
    return { refused: 'malformed file URL' };
  }
  const grant: FileGrant = { tableId: match[1]!, path, recipient, expires };
  const expected = Buffer.from(signature(key, grant));
  const given = Buffer.from(presented);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { refused: 'the file URL signature does not match' };
  if (expires <= now) return { refused: 'the file URL has expired' };
  return { grant };
}
