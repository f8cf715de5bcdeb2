import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomicFile.js';
import { UsageError } from '../core/errors.js';
import { closestNames } from '../core/suggest.js';
import type { SqlEngine } from '../engines/engine.js';
import type { Profile } from '../profiles/profile.js';
import {
  newId,
  newToken,
  type PartitionValue,
  type RecipientEntry,
  readCatalog,
  type SharedTableEntry,
  type ShareEntry,
  type SharingCatalog,
  sharingEndpoint,
  sharingLayout,
  sharingPort,
  tokenHash,
  updateCatalog,
} from '../services/sharing/index.js';
import type { AddTableOptions, RecipientSummary, SharingCatalogOps } from './sharing.js';
import { checkShareName, parsePartition, type SharedTable } from './shares.js';
import { readDetail } from './tableDetail.js';
import { resolveTable } from './tableCatalog.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A new recipient's token works this long unless `--token-lifetime` says otherwise. */
export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 24 * 3600_000;

function partitionText(partitions: PartitionValue[][]): string {
  return partitions.map((spec) => spec.map((v) => (v.op === 'LIKE' ? `${v.name} LIKE '${v.value}'` : `${v.name}=${v.value}`)).join(' AND ')).join(' OR ');
}

function tableRow(share: ShareEntry, table: SharedTableEntry): SharedTable {
  return { share: share.name, table: table.name, sharedAs: table.sharedAs, history: table.history, partitions: partitionText(table.partitions), status: 'ACTIVE' };
}

function didYouMean(names: string[], wanted: string, listCommand: string): string {
  const near = closestNames(wanted, names);
  return near.length ? `Did you mean ${near.join(', ')}?` : `See \`${listCommand}\`.`;
}

/** The share or recipient of that name, or a refusal naming the closest ones. */
function findNamed<T extends { name: string }>(items: T[], name: string, what: 'share' | 'recipient'): T {
  const found = items.find((item) => item.name === checkShareName(name, what));
  if (!found)
    throw new UsageError(`no ${what} "${name}" on the local env`, {
      hint: didYouMean(
        items.map((item) => item.name),
        name,
        `lhctl ${what}s list`,
      ),
    });
  return found;
}

function findShare(catalog: SharingCatalog, name: string): ShareEntry {
  return findNamed(catalog.shares, name, 'share');
}

function findRecipient(catalog: SharingCatalog, name: string): RecipientEntry {
  return findNamed(catalog.recipients, name, 'recipient');
}

/** The shared entry a name means: the full name, the name recipients see, or the bare table name when only one matches. */
function findSharedTable(share: ShareEntry, name: string): SharedTableEntry {
  const lower = name.toLowerCase();
  const matches = share.tables.filter((t) => t.name.toLowerCase() === lower || t.sharedAs.toLowerCase() === lower || t.name.toLowerCase().endsWith(`.${lower}`));
  if (matches.length === 1) return matches[0]!;
  const names = share.tables.map((t) => t.sharedAs);
  if (matches.length > 1) throw new UsageError(`"${name}" matches several tables of share ${share.name}: ${matches.map((t) => t.name).join(', ')}`, { hint: 'Give the full name.' });
  throw new UsageError(`share ${share.name} has no table "${name}"`, { hint: didYouMean(names, name, `lhctl shares show ${share.name}`) });
}

function newestExpiry(recipient: RecipientEntry): string | null {
  const expiries = recipient.tokens.map((t) => t.expiresAt);
  if (expiries.includes(null)) return null;
  return (expiries as string[]).sort().at(-1) ?? null;
}

export interface LocalSharingOptions {
  home: string;
  profile: Profile;
  engine: () => Promise<SqlEngine>;
  signal?: AbortSignal;
}

/** Shares, recipients and grants of the local env, in lhctl's own catalog that its Delta Sharing server reads. */
export function localSharing(options: LocalSharingOptions): SharingCatalogOps {
  const layout = sharingLayout(options.home);

  function summary(recipient: RecipientEntry): RecipientSummary {
    return {
      name: recipient.name,
      authentication: 'TOKEN',
      activated: recipient.revokedAt === null,
      tokenExpires: newestExpiry(recipient),
      activationUrl: null,
      owner: null,
      comment: recipient.comment,
      created: recipient.createdAt,
      profileFile: join(layout.profilesDir, `${recipient.name}.share`),
      revoked: recipient.revokedAt,
    };
  }

  /** A new token for the recipient: its hash goes to the catalog, the token only to the profile file (mode 600). */
  function issueToken(recipient: RecipientEntry, lifetimeMs: number, port: number): void {
    const token = newToken();
    const expiresAt = new Date(Date.now() + lifetimeMs).toISOString();
    recipient.tokens.push({ sha256: tokenHash(token), createdAt: new Date().toISOString(), expiresAt });
    mkdirSync(layout.profilesDir, { recursive: true, mode: 0o700 });
    const profile = { shareCredentialsVersion: 1, endpoint: sharingEndpoint(port), bearerToken: token, expirationTime: expiresAt };
    writeFileAtomic(join(layout.profilesDir, `${recipient.name}.share`), `${JSON.stringify(profile, null, 2)}\n`, 0o600);
  }

  async function resolveShared(table: string, options_: AddTableOptions): Promise<{ entry: Omit<SharedTableEntry, 'id' | 'addedAt'>; warning?: string }> {
    const engine = await options.engine();
    const ref = await resolveTable(engine, options.profile, table, { signal: options.signal });
    const detail = await readDetail(engine, ref, { signal: options.signal });
    const partitions = options_.partitions.map((spec) =>
      (parsePartition(spec).values ?? []).map((v): PartitionValue => {
        const column = detail.partitionColumns.find((c) => c.toLowerCase() === (v.name ?? '').toLowerCase());
        if (!column) {
          throw new UsageError(`${ref.schema}.${ref.table} is not partitioned by ${v.name}`, {
            hint: detail.partitionColumns.length ? `Its partition columns: ${detail.partitionColumns.join(', ')}.` : 'It has no partition columns: share it whole.',
          });
        }
        return { name: column, op: v.op as 'EQUAL' | 'LIKE', value: v.value ?? '' };
      }),
    );
    const sharedAs = options_.sharedAs ?? `${ref.schema}.${ref.table}`;
    const parts = sharedAs.split('.');
    if (parts.length !== 2 || !parts.every((p) => IDENT.test(p))) {
      throw new UsageError(`"${sharedAs}" is not a name recipients can see`, { hint: 'Give --as schema.table, e.g. --as sales.daily.' });
    }
    const location = detail.location.startsWith('file:') ? fileURLToPath(detail.location) : detail.location;
    const entry = { name: `${ref.catalog}.${ref.schema}.${ref.table}`, sharedAs, location, history: options_.history, partitions };
    // The server refuses versions whose files carry deletion vectors (the parquet response format cannot express them).
    const warning = detail.tableFeatures.includes('deletionVectors')
      ? `${ref.schema}.${ref.table} may write deletion vectors: recipients are refused any version with them until they are purged (REORG TABLE … APPLY (PURGE)); or turn them off: ALTER TABLE … SET TBLPROPERTIES (delta.enableDeletionVectors = false)`
      : undefined;
    return { entry, ...(warning ? { warning } : {}) };
  }

  return {
    async listShares() {
      return readCatalog(layout).shares.map((s) => ({ name: s.name, owner: null, comment: s.comment, created: s.createdAt }));
    },
    async showShare(name) {
      const catalog = readCatalog(layout);
      const share = findShare(catalog, name);
      const recipients = catalog.grants.filter((g) => g.share === share.name).map((g) => ({ recipient: g.recipient, privileges: 'SELECT' }));
      return { share: { name: share.name, owner: null, comment: share.comment, created: share.createdAt }, tables: share.tables.map((t) => tableRow(share, t)), recipients };
    },
    async createShare(name, comment) {
      return updateCatalog(layout, (catalog) => {
        if (catalog.shares.some((s) => s.name === checkShareName(name))) throw new UsageError(`share ${name} already exists`, { hint: `See \`lhctl shares show ${name}\`.` });
        const share: ShareEntry = { name, id: newId(), comment: comment ?? null, createdAt: new Date().toISOString(), tables: [] };
        catalog.shares.push(share);
        return { name, owner: null, comment: share.comment, created: share.createdAt };
      });
    },
    async addTable(shareName, table, addOptions) {
      findShare(readCatalog(layout), shareName);
      const { entry: resolved, warning } = await resolveShared(table, addOptions);
      const row = await updateCatalog(layout, (catalog) => {
        const share = findShare(catalog, shareName);
        const same = share.tables.find((t) => t.name === resolved.name);
        if (same)
          throw new UsageError(`share ${share.name} already holds ${resolved.name} (as ${same.sharedAs})`, {
            hint: `Remove it first to change how it is shared: lhctl shares remove-table ${share.name} ${same.sharedAs}`,
          });
        if (share.tables.some((t) => t.sharedAs.toLowerCase() === resolved.sharedAs.toLowerCase())) {
          throw new UsageError(`share ${share.name} already shows a table as ${resolved.sharedAs}`, { hint: 'Pick another name with --as schema.table.' });
        }
        const entry: SharedTableEntry = { ...resolved, id: newId(), addedAt: new Date().toISOString() };
        share.tables.push(entry);
        return tableRow(share, entry);
      });
      return { ...row, ...(warning ? { warning } : {}) };
    },
    async removeTable(shareName, table) {
      await updateCatalog(layout, (catalog) => {
        const share = findShare(catalog, shareName);
        const entry = findSharedTable(share, table);
        share.tables = share.tables.filter((t) => t !== entry);
      });
    },
    async setAccess(shareName, recipientName, access) {
      await updateCatalog(layout, (catalog) => {
        const share = findShare(catalog, shareName);
        const recipient = findRecipient(catalog, recipientName);
        catalog.grants = catalog.grants.filter((g) => !(g.share === share.name && g.recipient === recipient.name));
        if (access === 'grant') catalog.grants.push({ share: share.name, recipient: recipient.name, grantedAt: new Date().toISOString() });
      });
    },
    async exposure(recipientName) {
      const catalog = readCatalog(layout);
      const recipient = findRecipient(catalog, recipientName);
      const granted = new Set(catalog.grants.filter((g) => g.recipient === recipient.name).map((g) => g.share));
      const tables = catalog.shares.filter((s) => granted.has(s.name)).flatMap((s) => s.tables.map((t) => tableRow(s, t)));
      const expires = newestExpiry(recipient);
      return { recipient: recipient.name, activated: recipient.revokedAt === null, authentication: 'TOKEN', tokenExpires: expires ?? undefined, tables };
    },
    async listRecipients() {
      return readCatalog(layout).recipients.map(summary);
    },
    async showRecipient(name) {
      return summary(findRecipient(readCatalog(layout), name));
    },
    async createRecipient(name, createOptions) {
      checkShareName(name, 'recipient');
      const port = await sharingPort(layout);
      return updateCatalog(layout, (catalog) => {
        if (catalog.recipients.some((r) => r.name === name)) throw new UsageError(`recipient ${name} already exists`, { hint: `Issue a new token with \`lhctl recipients rotate-token ${name}\`.` });
        const recipient: RecipientEntry = { name, comment: createOptions.comment ?? null, createdAt: new Date().toISOString(), tokens: [], revokedAt: null };
        issueToken(recipient, createOptions.tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS, port);
        catalog.recipients.push(recipient);
        return summary(recipient);
      });
    },
    async rotateToken(name, expireExistingSeconds, tokenLifetimeMs) {
      const port = await sharingPort(layout);
      return updateCatalog(layout, (catalog) => {
        const recipient = findRecipient(catalog, name);
        const cutoff = new Date(Date.now() + expireExistingSeconds * 1000).toISOString();
        for (const token of recipient.tokens) if (token.expiresAt === null || token.expiresAt > cutoff) token.expiresAt = cutoff;
        // Tokens past their end are of no use to keep.
        recipient.tokens = recipient.tokens.filter((t) => t.expiresAt === null || Date.parse(t.expiresAt) > Date.now() - 86_400_000);
        recipient.revokedAt = null;
        issueToken(recipient, tokenLifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS, port);
        return summary(recipient);
      });
    },
    async revokeRecipient(name) {
      return updateCatalog(layout, (catalog) => {
        const recipient = findRecipient(catalog, name);
        recipient.revokedAt = new Date().toISOString();
        return summary(recipient);
      });
    },
  };
}
