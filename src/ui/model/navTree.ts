import type { Layer } from '../../profiles/profile.js';

export type NavItem =
  | { kind: 'section'; id: string; label: string }
  | { kind: 'env'; id: string; env: string; current: boolean; protected: boolean }
  | { kind: 'layer'; id: string; layer: Layer; expanded: boolean }
  | { kind: 'table'; id: string; layer: Layer; table: string; name: string }
  | { kind: 'job'; id: string; alias: string; expanded: boolean }
  | { kind: 'run'; id: string; alias: string; runId: string; label: string }
  | { kind: 'shares'; id: string; expanded: boolean }
  | { kind: 'share'; id: string; share: string; expanded: boolean }
  | { kind: 'sharedTable'; id: string; share: string; name: string; history: boolean }
  | { kind: 'recipient'; id: string; share: string; recipient: string }
  | { kind: 'note'; id: string; label: string };

/** A share in the navigator; `detail` arrives when the share is opened. */
export interface NavShare {
  name: string;
  expanded: boolean;
  detail: { tables: { name: string; history: boolean }[]; recipients: string[] } | undefined;
}

export interface NavInput {
  envs: { name: string; protected: boolean }[];
  currentEnv: string;
  layers: { layer: Layer; schema: string; expanded: boolean; tables: string[] | undefined }[];
  jobs: { alias: string; expanded: boolean; runs: { runId: string; label: string }[] | undefined; note?: string }[];
  filter: string;
  /** Envs that share data (Delta Sharing): the shares node, its list once opened (undefined while closed or loading). */
  shares?: { expanded: boolean; list: NavShare[] | undefined };
}

/** The navigator as a flat list: environments; layers → tables; jobs → runs. A filter keeps matching leaves. */
export function navItems(input: NavInput): NavItem[] {
  const filter = input.filter.toLowerCase();
  const matches = (name: string): boolean => filter === '' || name.toLowerCase().includes(filter);
  const items: NavItem[] = [{ kind: 'section', id: 's:env', label: 'ENVIRONMENTS' }];
  for (const env of input.envs) items.push({ kind: 'env', id: `env:${env.name}`, env: env.name, current: env.name === input.currentEnv, protected: env.protected });
  items.push({ kind: 'section', id: 's:layers', label: 'LAYERS' });
  for (const l of input.layers) {
    const open = l.expanded || (filter !== '' && (l.tables ?? []).some(matches));
    items.push({ kind: 'layer', id: `layer:${l.layer}`, layer: l.layer, expanded: open });
    if (!open) continue;
    if (l.tables === undefined) items.push({ kind: 'note', id: `note:${l.layer}`, label: 'loading…' });
    else if (l.tables.length === 0) items.push({ kind: 'note', id: `note:${l.layer}`, label: `(no tables in ${l.schema})` });
    for (const name of (l.tables ?? []).filter(matches)) {
      items.push({ kind: 'table', id: `table:${l.schema}.${name}`, layer: l.layer, table: `${l.schema}.${name}`, name });
    }
  }
  items.push({ kind: 'section', id: 's:jobs', label: 'JOBS' });
  for (const job of input.jobs) {
    items.push({ kind: 'job', id: `job:${job.alias}`, alias: job.alias, expanded: job.expanded });
    if (!job.expanded) continue;
    if (job.note) items.push({ kind: 'note', id: `note:job:${job.alias}`, label: job.note });
    else if (job.runs === undefined) items.push({ kind: 'note', id: `note:job:${job.alias}`, label: 'loading…' });
    for (const run of (job.runs ?? []).filter((r) => matches(r.label))) {
      items.push({ kind: 'run', id: `run:${job.alias}:${run.runId}`, alias: job.alias, runId: run.runId, label: run.label });
    }
  }
  if (input.shares) items.push(...shareItems(input.shares, matches));
  return items;
}

/** SHARING: shares → the tables they hold (as recipients see them) and the recipients granted them. */
function shareItems(shares: NonNullable<NavInput['shares']>, matches: (name: string) => boolean): NavItem[] {
  const items: NavItem[] = [
    { kind: 'section', id: 's:sharing', label: 'SHARING' },
    { kind: 'shares', id: 'shares', expanded: shares.expanded },
  ];
  if (!shares.expanded) return items;
  if (shares.list === undefined) return [...items, { kind: 'note', id: 'note:shares', label: 'loading…' }];
  if (shares.list.length === 0) items.push({ kind: 'note', id: 'note:shares', label: '(no shares yet: shares create <name>)' });
  for (const share of shares.list.filter((s) => matches(s.name) || s.expanded)) {
    items.push({ kind: 'share', id: `share:${share.name}`, share: share.name, expanded: share.expanded });
    if (!share.expanded) continue;
    if (!share.detail) items.push({ kind: 'note', id: `note:share:${share.name}`, label: 'loading…' });
    for (const table of share.detail?.tables ?? []) {
      items.push({ kind: 'sharedTable', id: `shared:${share.name}:${table.name}`, share: share.name, name: table.name, history: table.history });
    }
    for (const recipient of share.detail?.recipients ?? []) items.push({ kind: 'recipient', id: `recipient:${share.name}:${recipient}`, share: share.name, recipient });
  }
  return items;
}

/** Items the cursor may rest on (sections and notes are skipped). */
export function selectable(item: NavItem | undefined): boolean {
  return item !== undefined && item.kind !== 'section' && item.kind !== 'note';
}

/** The next selectable index from `from` in direction `step`, or `from` when there is none. */
export function stepCursor(items: readonly NavItem[], from: number, step: number): number {
  let i = from;
  for (let n = 0; n < Math.abs(step); n++) {
    let j = i + Math.sign(step);
    while (j >= 0 && j < items.length && !selectable(items[j])) j += Math.sign(step);
    if (j < 0 || j >= items.length) break;
    i = j;
  }
  return i;
}

export function navLabel(item: NavItem): string {
  switch (item.kind) {
    case 'section':
      return item.label;
    case 'env':
      return `${item.current ? '●' : ' '} ${item.env}${item.protected ? ' ⚠' : ''}`;
    case 'layer':
      return `${item.expanded ? '▾' : '▸'} ${item.layer}`;
    case 'table':
      return `    ${item.name}`;
    case 'job':
      return `${item.expanded ? '▾' : '▸'} ${item.alias}`;
    case 'run':
      return `    ${item.label}`;
    case 'shares':
      return `${item.expanded ? '▾' : '▸'} shares`;
    case 'share':
      return `  ${item.expanded ? '▾' : '▸'} ${item.share}`;
    case 'sharedTable':
      return `      ${item.name}${item.history ? ' (history)' : ''}`;
    case 'recipient':
      return `      → ${item.recipient}`;
    case 'note':
      return `    ${item.label}`;
  }
}
