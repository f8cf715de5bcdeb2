/**
 * Field-level difference between the job settings lhctl declares and what the workspace holds.
 * The workspace fills in defaults (run_if, email_notifications: {}, format, …) that lhctl never
 * declared; only declared fields are compared, so a fresh deploy never shows false drift. Tasks
 * are matched by task_key, so a removed task does show up.
 */
export interface FieldChange {
  /** e.g. `schedule.pause_status`, `tasks[silver_orders].timeout_seconds`. */
  path: string;
  from: unknown;
  to: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `remote` reduced to the shape of `declared`, so sorting and equality ignore server defaults. */
function project(declared: unknown, remote: unknown): unknown {
  if (isObject(declared) && isObject(remote)) {
    return Object.fromEntries(Object.keys(declared).map((k) => [k, project(declared[k], remote[k])]));
  }
  if (Array.isArray(declared) && Array.isArray(remote) && declared.length > 0) {
    return remote.map((item) => project(declared[0], item));
  }
  return remote;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : (v as Json),
  );
}

function keyedBy(items: unknown[], key: string): Map<string, unknown> | undefined {
  if (!items.every((i) => isObject(i) && typeof i[key] === 'string')) return undefined;
  return new Map(items.map((i) => [(i as Record<string, string>)[key]!, i]));
}

/** Lists whose items have identity: matched by key, so one changed task is one change. */
const KEYED_LISTS: Record<string, string> = { tasks: 'task_key', job_clusters: 'job_cluster_key' };

export function settingsDiff(declared: unknown, remote: unknown, path = ''): FieldChange[] {
  if (isObject(declared)) {
    const other = isObject(remote) ? remote : {};
    return Object.keys(declared).flatMap((k) => settingsDiff(declared[k], other[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(declared)) {
    const others = Array.isArray(remote) ? remote : [];
    const key = KEYED_LISTS[path.replace(/^.*[.\]]/, '')];
    const mineByKey = key ? keyedBy(declared, key) : undefined;
    const theirsByKey = key ? keyedBy(others, key) : undefined;
    if (mineByKey && theirsByKey) {
      const changes: FieldChange[] = [];
      for (const [name, item] of mineByKey) {
        const itemPath = `${path}[${name}]`;
        changes.push(...(theirsByKey.has(name) ? settingsDiff(item, theirsByKey.get(name), itemPath) : [{ path: itemPath, from: undefined, to: 'added' }]));
      }
      for (const name of theirsByKey.keys()) if (!mineByKey.has(name)) changes.push({ path: `${path}[${name}]`, from: 'present', to: undefined });
      return changes;
    }
    // Unkeyed lists (depends_on, parameters) compare as sets: order carries no meaning there.
    const mine = declared.map(canonical).sort();
    const theirs = (project(declared, others) as unknown[]).map(canonical).sort();
    return canonical(mine) === canonical(theirs) ? [] : [{ path, from: others, to: declared }];
  }
  return declared === remote ? [] : [{ path, from: remote, to: declared }];
}

/** `tasks[silver_orders].timeout_seconds: 1800 → 3600` */
export function describeChange(change: FieldChange): string {
  const show = (v: unknown): string => (v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
  return `${change.path}: ${show(change.from)} → ${show(change.to)}`;
}
