/** Unity Catalog Shares, share permissions and Recipients (Delta Sharing), per the REST reference. */
import { ContractViolation, notFound, requireFields, requireOneOf, type Routes } from './restServer.js';

interface Share {
  name: string;
  comment?: string;
  owner: string;
  created_at: number;
  objects: Array<Record<string, unknown>>;
  grants: Map<string, Set<string>>;
}

interface Recipient {
  name: string;
  authentication_type: string;
  activated: boolean;
  created_at: number;
  comment?: string;
  tokens: Array<{ id: string; created_at: number; expiration_time: number; activation_url: string }>;
}

export interface SharingState {
  shares: Map<string, Share>;
  recipients: Map<string, Recipient>;
}

export function newSharingState(): SharingState {
  return { shares: new Map(), recipients: new Map() };
}

const DAY = 86_400_000;

function shareInfo(share: Share, withObjects: boolean): Record<string, unknown> {
  return { name: share.name, comment: share.comment, owner: share.owner, created_at: share.created_at, ...(withObjects ? { objects: share.objects } : {}) };
}

function recipientInfo(r: Recipient): Record<string, unknown> {
  return { name: r.name, authentication_type: r.authentication_type, activated: r.activated, created_at: r.created_at, comment: r.comment, tokens: r.tokens };
}

function newToken(name: string, n: number): Recipient['tokens'][number] {
  const now = 1764000000000 + n;
  return { id: `tok-${name}-${n}`, created_at: now, expiration_time: now + 90 * DAY, activation_url: `https://example.cloud.databricks.com/delta_sharing/retrieve_config.html?${name}-${n}` };
}

function assignments(share: Share): Array<{ principal: string; privileges: string[] }> {
  return [...share.grants].filter(([, p]) => p.size > 0).map(([principal, p]) => ({ principal, privileges: [...p] }));
}

export function sharingRoutes(state: SharingState): Routes {
  const share = (name: string | undefined): Share | undefined => state.shares.get(name ?? '');
  return {
    'GET /api/2.1/unity-catalog/shares': () => ({ body: { shares: [...state.shares.values()].map((s) => shareInfo(s, false)) } }),
    'POST /api/2.1/unity-catalog/shares': (call) => {
      const body = requireFields(call.body, { name: 'string' });
      const name = body['name'] as string;
      if (state.shares.has(name)) return { status: 409, body: { error_code: 'SHARE_ALREADY_EXISTS', message: `Share '${name}' already exists.` } };
      const created: Share = { name, comment: body['comment'] as string | undefined, owner: 'ops@retail.example', created_at: 1764000000000, objects: [], grants: new Map() };
      state.shares.set(name, created);
      return { body: shareInfo(created, false) };
    },
    'GET /api/2.1/unity-catalog/shares/{}': (call, [name]) => {
      const found = share(name);
      return found ? { body: shareInfo(found, call.query['include_shared_data'] === 'true') } : notFound(`Share '${name}'`);
    },
    'PATCH /api/2.1/unity-catalog/shares/{}': (call, [name]) => {
      const found = share(name);
      if (!found) return notFound(`Share '${name}'`);
      const body = requireFields(call.body, { updates: 'array' });
      for (const update of body['updates'] as unknown[]) {
        const u = requireFields(update, { action: 'string', data_object: 'object' });
        requireOneOf(u['action'], 'updates[].action', ['ADD', 'REMOVE', 'UPDATE']);
        const object = requireFields(u['data_object'], { name: 'string' });
        if (object['history_data_sharing_status'] !== undefined) requireOneOf(object['history_data_sharing_status'], 'history_data_sharing_status', ['ENABLED', 'DISABLED']);
        for (const partition of (object['partitions'] as unknown[] | undefined) ?? []) {
          for (const value of requireFields(partition, { values: 'array' })['values'] as unknown[]) {
            requireOneOf(requireFields(value, { name: 'string', value: 'string' })['op'], 'partitions[].values[].op', ['EQUAL', 'LIKE']);
          }
        }
        found.objects = found.objects.filter((o) => o['name'] !== object['name']);
        if (u['action'] !== 'REMOVE') found.objects.push({ data_object_type: 'TABLE', status: 'ACTIVE', ...object });
      }
      return { body: shareInfo(found, true) };
    },
    'GET /api/2.1/unity-catalog/shares/{}/permissions': (_call, [name]) => {
      const found = share(name);
      return found ? { body: { privilege_assignments: assignments(found) } } : notFound(`Share '${name}'`);
    },
    'PATCH /api/2.1/unity-catalog/shares/{}/permissions': (call, [name]) => {
      const found = share(name);
      if (!found) return notFound(`Share '${name}'`);
      for (const change of requireFields(call.body, { changes: 'array' })['changes'] as unknown[]) {
        const c = requireFields(change, { principal: 'string' });
        if (c['add'] === undefined && c['remove'] === undefined) throw new ContractViolation('a change needs `add` or `remove`');
        const principal = c['principal'] as string;
        if (!state.recipients.has(principal)) return notFound(`Recipient '${principal}'`);
        const privileges = found.grants.get(principal) ?? new Set<string>();
        for (const p of (c['add'] as string[] | undefined) ?? []) privileges.add(p);
        for (const p of (c['remove'] as string[] | undefined) ?? []) privileges.delete(p);
        found.grants.set(principal, privileges);
      }
      return { body: { privilege_assignments: assignments(found) } };
    },
    'GET /api/2.1/unity-catalog/recipients': () => ({ body: { recipients: [...state.recipients.values()].map(recipientInfo) } }),
    'POST /api/2.1/unity-catalog/recipients': (call) => {
      const body = requireFields(call.body, { name: 'string', authentication_type: 'string' });
      requireOneOf(body['authentication_type'], 'authentication_type', ['TOKEN', 'DATABRICKS', 'OIDC_FEDERATION', 'OAUTH_CLIENT_CREDENTIALS']);
      const name = body['name'] as string;
      const created: Recipient = { name, authentication_type: 'TOKEN', activated: false, created_at: 1764000000000, comment: body['comment'] as string | undefined, tokens: [newToken(name, 1)] };
      state.recipients.set(name, created);
      return { body: recipientInfo(created) };
    },
    'GET /api/2.1/unity-catalog/recipients/{}': (_call, [name]) => {
      const found = state.recipients.get(name ?? '');
      return found ? { body: recipientInfo(found) } : notFound(`Recipient '${name}'`);
    },
    'POST /api/2.1/unity-catalog/recipients/{}/rotate-token': (call, [name]) => {
      const found = state.recipients.get(name ?? '');
      if (!found) return notFound(`Recipient '${name}'`);
      const seconds = requireFields(call.body, { existing_token_expire_in_seconds: 'number' })['existing_token_expire_in_seconds'] as number;
      if (seconds < 0) throw new ContractViolation('`existing_token_expire_in_seconds` must not be negative');
      for (const token of found.tokens) token.expiration_time = Math.min(token.expiration_time, 1764000000000 + seconds * 1000);
      found.tokens.push(newToken(found.name, found.tokens.length + 1));
      found.activated = false;
      return { body: recipientInfo(found) };
    },
    'GET /api/2.1/unity-catalog/recipients/{}/share-permissions': (_call, [name]) => {
      if (!state.recipients.has(name ?? '')) return notFound(`Recipient '${name}'`);
      const permissions_out = [...state.shares.values()]
        .filter((s) => (s.grants.get(name!)?.size ?? 0) > 0)
        .map((s) => ({ share_name: s.name, privilege_assignments: [{ principal: name, privileges: [...s.grants.get(name!)!] }] }));
      return { body: { permissions_out } };
    },
  };
}
