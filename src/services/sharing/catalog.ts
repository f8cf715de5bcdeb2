import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../core/atomicFile.js';
import { acquireStartLock } from '../daemon.js';
import type { SharingLayout } from './layout.js';

/** `region=EU` or `region LIKE 'E%'`; all values of one partition must hold, any partition may. */
export interface PartitionValue {
  name: string;
  op: 'EQUAL' | 'LIKE';
  value: string;
}

export interface SharedTableEntry {
  /** The table in the local catalog: spark_catalog.schema.table. */
  name: string;
  /** What recipients see: schema.table. */
  sharedAs: string;
  /** The table's folder (its `_delta_log` is read from here). */
  location: string;
  history: boolean;
  partitions: PartitionValue[][];
  /** Stable id of this share's entry, in file URLs and the table's `id`. */
  id: string;
  addedAt: string;
}

export interface ShareEntry {
  name: string;
  id: string;
  comment: string | null;
  createdAt: string;
  tables: SharedTableEntry[];
}

export interface TokenEntry {
  /** sha256 of the bearer token, hex; the token itself is never stored. */
  sha256: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface RecipientEntry {
  name: string;
  comment: string | null;
  createdAt: string;
  tokens: TokenEntry[];
  revokedAt: string | null;
}

export interface GrantEntry {
  share: string;
  recipient: string;
  grantedAt: string;
}

export interface SharingCatalog {
  version: 1;
  /** The port recipients' profile files name; kept across restarts. */
  port: number | null;
  shares: ShareEntry[];
  recipients: RecipientEntry[];
  grants: GrantEntry[];
}

const EMPTY: SharingCatalog = { version: 1, port: null, shares: [], recipients: [], grants: [] };

export function readCatalog(layout: SharingLayout): SharingCatalog {
  if (!existsSync(layout.catalogFile)) return structuredClone(EMPTY);
  return { ...structuredClone(EMPTY), ...(JSON.parse(readFileSync(layout.catalogFile, 'utf8')) as SharingCatalog) };
}

let cached: { mtimeMs: number; size: number; catalog: SharingCatalog } | undefined;

/** The catalog as the server sees it on each request: read again whenever the file changed, so a revoke or a removed table applies at once. */
export function currentCatalog(layout: SharingLayout): SharingCatalog {
  if (!existsSync(layout.catalogFile)) return structuredClone(EMPTY);
  const stat = statSync(layout.catalogFile);
  if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) cached = { mtimeMs: stat.mtimeMs, size: stat.size, catalog: readCatalog(layout) };
  return cached.catalog;
}

/** Read, change and write the catalog under a lock, so two lhctl commands never lose each other's change. */
export async function updateCatalog<T>(layout: SharingLayout, change: (catalog: SharingCatalog) => T): Promise<T> {
  mkdirSync(dirname(layout.catalogFile), { recursive: true, mode: 0o700 });
  const release = await acquireStartLock(`${layout.catalogFile}.lock`, 'a change to the sharing catalog', 30_000);
  try {
    const catalog = readCatalog(layout);
    const result = change(catalog);
    writeFileAtomic(layout.catalogFile, `${JSON.stringify(catalog, null, 2)}\n`, 0o600);
    return result;
  } finally {
    release();
  }
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new bearer token: 32 random bytes, URL-safe. */
export function newToken(): string {
  return `lhs_${randomBytes(32).toString('base64url')}`;
}

export function newId(): string {
  return randomUUID();
}

export function tokenIsLive(token: TokenEntry, now = Date.now()): boolean {
  return token.expiresAt === null || Date.parse(token.expiresAt) > now;
}

export type TokenCheck = { recipient: RecipientEntry } | { refused: 'unknown' | 'expired' | 'revoked' };

/** Who holds this bearer token, or why it is refused. Hashes are compared in constant time. */
export function checkToken(catalog: SharingCatalog, token: string, now = Date.now()): TokenCheck {
  const presented = Buffer.from(tokenHash(token), 'hex');
  for (const recipient of catalog.recipients) {
    for (const entry of recipient.tokens) {
      const stored = Buffer.from(entry.sha256, 'hex');
      if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) continue;
      if (recipient.revokedAt !== null) return { refused: 'revoked' };
      if (!tokenIsLive(entry, now)) return { refused: 'expired' };
      return { recipient };
    }
  }
  return { refused: 'unknown' };
}

/** The shares a recipient may read: granted, existing, and the recipient not revoked. */
export function grantedShares(catalog: SharingCatalog, recipient: string): ShareEntry[] {
  const granted = new Set(catalog.grants.filter((g) => g.recipient === recipient).map((g) => g.share));
  return catalog.shares.filter((share) => granted.has(share.name));
}
