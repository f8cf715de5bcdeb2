import { UsageError } from '../core/errors.js';
import type { DatabricksWorkspace, sharing } from '../engines/databricks/workspace.js';
import type { Exposure, RecipientSummary, SharingCatalogOps } from './sharing.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHARE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function checkShareName(name: string, what = 'share'): string {
  if (!SHARE_NAME.test(name)) throw new UsageError(`"${name}" is not a valid ${what} name`, { hint: 'Use letters, digits, _ and -; start with a letter or _.' });
  return name;
}

/** `retail_datalake.prod_gold.fact_sales`: shares hold fully qualified tables only. */
export function checkTableName(name: string): string {
  const parts = name.split('.');
  if (parts.length !== 3 || !parts.every((p) => IDENT.test(p))) {
    throw new UsageError(`"${name}" is not a fully qualified table name`, { hint: 'Give catalog.schema.table, e.g. retail_datalake.prod_gold.agg_daily_sales.' });
  }
  return name;
}

/**
 * One `--partition` option: `region=EU,channel=web` (all must hold) or `region LIKE 'E%'`.
 * Several options share several partitions (any may match).
 */
export function parsePartition(spec: string): sharing.Partition {
  const values = spec.split(',').map((part): sharing.PartitionValue => {
    const like = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+LIKE\s+'?([^']*)'?\s*$/i.exec(part);
    const equal = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*'?([^']*)'?\s*$/.exec(part);
    const match = like ?? equal;
    if (!match) throw new UsageError(`cannot read partition "${part.trim()}"`, { hint: "Write column=value or column LIKE 'pattern', comma-separated." });
    return { name: match[1]!, op: like ? 'LIKE' : 'EQUAL', value: match[2]! };
  });
  return { values };
}

export function partitionText(partitions: sharing.Partition[] | undefined): string {
  return (partitions ?? [])
    .map((p) => (p.values ?? []).map((v) => (v.op === 'LIKE' ? `${v.name} LIKE '${v.value}'` : `${v.name}=${v.value ?? `<${v.recipient_property_key}>`}`)).join(' AND '))
    .join(' OR ');
}

export interface SharedTable {
  share: string;
  table: string;
  sharedAs: string;
  history: boolean;
  partitions: string;
  status: string;
}

export function sharedTables(share: sharing.ShareInfo): SharedTable[] {
  return (share.objects ?? [])
    .filter((o) => (o.data_object_type ?? 'TABLE') === 'TABLE')
    .map((o) => ({
      share: share.name ?? '',
      table: o.name,
      sharedAs: o.shared_as ?? o.name.split('.').slice(1).join('.'),
      history: o.history_data_sharing_status === 'ENABLED',
      partitions: partitionText(o.partitions),
      status: o.status ?? 'ACTIVE',
    }));
}

export async function addTableToShare(
  workspace: DatabricksWorkspace,
  share: string,
  table: string,
  options: { history: boolean; partitions: string[]; sharedAs?: string },
): Promise<sharing.ShareInfo> {
  const dataObject: sharing.SharedDataObject = {
    name: checkTableName(table),
    data_object_type: 'TABLE',
    history_data_sharing_status: options.history ? 'ENABLED' : 'DISABLED',
    ...(options.sharedAs ? { shared_as: options.sharedAs } : {}),
    ...(options.partitions.length ? { partitions: options.partitions.map(parsePartition) } : {}),
  };
  return workspace.updateShare(checkShareName(share), [{ action: 'ADD', data_object: dataObject }]);
}

export async function removeTableFromShare(workspace: DatabricksWorkspace, share: string, table: string): Promise<sharing.ShareInfo> {
  return workspace.updateShare(checkShareName(share), [{ action: 'REMOVE', data_object: { name: checkTableName(table) } }]);
}

/** Recipients read a share through SELECT on it; grant and revoke change only that privilege. */
export async function setShareAccess(workspace: DatabricksWorkspace, share: string, recipient: string, access: 'grant' | 'revoke'): Promise<void> {
  const change: sharing.PermissionsChange = { principal: checkShareName(recipient, 'recipient'), [access === 'grant' ? 'add' : 'remove']: ['SELECT'] };
  await workspace.updateSharePermissions(checkShareName(share), [change]);
}

/** Recipients with a privilege on the share. */
export async function shareRecipients(workspace: DatabricksWorkspace, share: string): Promise<Array<{ recipient: string; privileges: string }>> {
  const permissions = await workspace.sharePermissions(checkShareName(share));
  return (permissions.privilege_assignments ?? []).map((a) => ({ recipient: a.principal ?? '', privileges: (a.privileges ?? []).join(', ') }));
}

/** What a recipient can read right now: every table of every share it holds SELECT on. */
export async function recipientExposure(workspace: DatabricksWorkspace, recipient: string): Promise<Exposure> {
  const info = await workspace.getRecipient(checkShareName(recipient, 'recipient'));
  const granted = await workspace.recipientSharePermissions(recipient);
  const tables: SharedTable[] = [];
  for (const entry of granted.permissions_out ?? []) {
    const canRead = (entry.privilege_assignments ?? []).some((a) => (a.privileges ?? []).includes('SELECT'));
    if (!canRead || !entry.share_name) continue;
    tables.push(...sharedTables(await workspace.getShare(entry.share_name)));
  }
  const expiries = (info.tokens ?? []).map((t) => t.expiration_time).filter((t): t is number => typeof t === 'number');
  return {
    recipient,
    activated: info.activated ?? false,
    authentication: info.authentication_type ?? 'TOKEN',
    tokenExpires: expiries.length ? new Date(Math.max(...expiries)).toISOString() : undefined,
    tables,
  };
}

/** Epoch milliseconds from the REST API → ISO text, or null. */
function isoTime(epochMs: number | undefined): string | null {
  return typeof epochMs === 'number' && epochMs > 0 ? new Date(epochMs).toISOString() : null;
}

function recipientSummary(info: sharing.RecipientInfo): RecipientSummary {
  const newest = [...(info.tokens ?? [])].sort((a, b) => (b.created_at ?? 0) - (a.created_at ?? 0))[0];
  return {
    name: info.name ?? '',
    authentication: info.authentication_type ?? 'TOKEN',
    activated: info.activated ?? false,
    tokenExpires: isoTime(newest?.expiration_time),
    activationUrl: newest?.activation_url || info.activation_url || null,
    owner: info.owner ?? null,
    comment: info.comment ?? null,
    created: isoTime(info.created_at),
  };
}

/** Unity Catalog's shares and recipients, through the workspace's REST API. */
export function databricksSharing(workspace: DatabricksWorkspace): SharingCatalogOps {
  return {
    async listShares() {
      return (await workspace.listShares()).map((s) => ({ name: s.name ?? '', owner: s.owner ?? null, comment: s.comment ?? null, created: isoTime(s.created_at) }));
    },
    async showShare(name) {
      const info = await workspace.getShare(checkShareName(name));
      const recipients = await shareRecipients(workspace, name);
      return { share: { name: info.name ?? name, owner: info.owner ?? null, comment: info.comment ?? null, created: isoTime(info.created_at) }, tables: sharedTables(info), recipients };
    },
    async createShare(name, comment) {
      const info = await workspace.createShare(checkShareName(name), comment);
      return { name: info.name ?? name, owner: info.owner ?? null, comment: info.comment ?? null, created: isoTime(info.created_at) };
    },
    async addTable(share, table, options) {
      const info = await addTableToShare(workspace, share, table, options);
      return sharedTables(info).find((t) => t.table === table) ?? { share, table, sharedAs: options.sharedAs ?? table, history: options.history, partitions: '', status: 'ACTIVE' };
    },
    async removeTable(share, table) {
      await removeTableFromShare(workspace, share, table);
    },
    setAccess: (share, recipient, access) => setShareAccess(workspace, share, recipient, access),
    exposure: (recipient) => recipientExposure(workspace, recipient),
    async listRecipients() {
      return (await workspace.listRecipients()).map(recipientSummary);
    },
    async showRecipient(name) {
      return recipientSummary(await workspace.getRecipient(checkShareName(name, 'recipient')));
    },
    async createRecipient(name, options) {
      return recipientSummary(await workspace.createRecipient(checkShareName(name, 'recipient'), options.comment));
    },
    async rotateToken(name, expireExistingSeconds) {
      return recipientSummary(await workspace.rotateRecipientToken(checkShareName(name, 'recipient'), expireExistingSeconds));
    },
  };
}
