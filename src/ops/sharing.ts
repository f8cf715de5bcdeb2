import type { SharedTable } from './shares.js';

/** A share as the listings show it. */
export interface ShareSummary {
  name: string;
  owner: string | null;
  comment: string | null;
  created: string | null;
}

export interface ShareDetail {
  share: ShareSummary;
  tables: SharedTable[];
  recipients: Array<{ recipient: string; privileges: string }>;
}

export interface RecipientSummary {
  name: string;
  authentication: string;
  activated: boolean;
  /** ISO time the newest token stops working. */
  tokenExpires: string | null;
  /** Databricks: the one-time link where the recipient downloads its credentials. */
  activationUrl: string | null;
  owner: string | null;
  comment: string | null;
  created: string | null;
  /** Local: the recipient's `.share` profile file (mode 600) written at create and rotate. */
  profileFile?: string | null;
  /** Local: when access was revoked. */
  revoked?: string | null;
}

export interface Exposure {
  recipient: string;
  activated: boolean;
  authentication: string;
  /** ISO time the newest token stops working, if the recipient uses tokens. */
  tokenExpires: string | undefined;
  tables: SharedTable[];
}

export interface AddTableOptions {
  history: boolean;
  partitions: string[];
  sharedAs?: string;
}

/**
 * Shares, recipients and grants of one env: Unity Catalog on Databricks, lhctl's own catalog served by
 * its Delta Sharing server on the local env. The commands speak only to this.
 */
export interface SharingCatalogOps {
  listShares(): Promise<ShareSummary[]>;
  showShare(name: string): Promise<ShareDetail>;
  createShare(name: string, comment?: string): Promise<ShareSummary>;
  /** `warning`: what recipients will not be able to read as the table stands. */
  addTable(share: string, table: string, options: AddTableOptions): Promise<SharedTable & { warning?: string }>;
  removeTable(share: string, table: string): Promise<void>;
  setAccess(share: string, recipient: string, access: 'grant' | 'revoke'): Promise<void>;
  exposure(recipient: string): Promise<Exposure>;
  listRecipients(): Promise<RecipientSummary[]>;
  showRecipient(name: string): Promise<RecipientSummary>;
  /** `tokenLifetimeMs`: how long the first token works (local; Databricks sets it workspace-wide). */
  createRecipient(name: string, options: { comment?: string; tokenLifetimeMs?: number }): Promise<RecipientSummary>;
  /** A new token; the current ones stop working `expireExistingSeconds` from now (0: at once). */
  rotateToken(name: string, expireExistingSeconds: number, tokenLifetimeMs?: number): Promise<RecipientSummary>;
  /** Every token of the recipient stops working now; grants stay on record. Local only. */
  revokeRecipient?(name: string): Promise<RecipientSummary>;
}
