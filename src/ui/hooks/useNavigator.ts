import { useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { findCommand } from '../../commands/index.js';
import { JOB_ALIASES } from '../../pipelines/jobs.js';
import { LAYERS, loadProfile, type Layer } from '../../profiles/profile.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSession, useSessionState } from '../contexts/SessionContext.js';
import { envCan } from '../../commands/capability.js';
import { navItems, type NavShare, selectable, stepCursor, type NavItem } from '../model/navTree.js';
import { runsOfJob, tablesOf } from '../model/runState.js';

/** The navigator's state and keys: lazy table lists per layer, runs per job, the `/` filter. */
export function useNavigator(active: boolean): { items: NavItem[]; cursor: number } {
  const { session, catalog } = useSession();
  const sessionState = useSessionState();
  const { state, dispatch, actions } = useConsole();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [tables, setTables] = useState<Record<string, string[]>>({});
  const [runs, setRuns] = useState<Record<string, { runId: string; label: string }[] | undefined>>({});
  const [shares, setShares] = useState<string[] | undefined>(undefined);
  const [shareDetails, setShareDetails] = useState<Record<string, NavShare['detail']>>({});
  const env = sessionState.env;
  // Start on the current env's line.
  const [cursor, setCursor] = useState(() => 1 + Math.max(0, sessionState.envs.indexOf(env)));

  // Another env has other tables: start from collapsed layers.
  useEffect(() => {
    setTables({});
    setRuns({});
    setShares(undefined);
    setShareDetails({});
    setExpanded(new Set());
  }, [env]);

  const envs = useMemo(() => sessionState.envs.map((name) => ({ name, protected: safeProtected(session.settings.profilesDir, name) })), [sessionState.envs, session]);
  const items = navItems({
    envs,
    currentEnv: env,
    layers: LAYERS.map((layer) => ({ layer, schema: sessionState.profile.schemas[layer], expanded: expanded.has(`layer:${layer}`), tables: tables[layer] })),
    jobs: Object.keys(JOB_ALIASES).map((alias) => ({
      alias,
      expanded: expanded.has(`job:${alias}`),
      runs: runs[alias],
      ...(findCommand('runs') ? (runs[alias]?.length === 0 ? { note: '(no runs yet; Enter, r runs it)' } : {}) : { note: 'Enter opens the task graph' }),
    })),
    filter: state.filter,
    ...(envCan(sessionState.profile, 'shares')
      ? {
          shares: {
            expanded: expanded.has('shares'),
            list: shares?.map((name) => ({ name, expanded: expanded.has(`share:${name}`), detail: shareDetails[name] })),
          },
        }
      : {}),
  });
  const at = Math.min(cursor, items.length - 1);
  const current = selectable(items[at]) ? at : stepCursor(items, at, 1);

  // `SHOW TABLES` through the sql command: one quick statement per layer, so opening a layer of a
  // large catalog is instant (`:tables` gives the full listing with sizes and row counts).
  const expandLayer = (layer: Layer): void => {
    setExpanded((s) => new Set(s).add(`layer:${layer}`));
    if (!tables[layer]) void catalog.loadTables(layer).then((names) => setTables((t) => ({ ...t, [layer]: names })));
  };
  const expandJob = (alias: string): void => {
    setExpanded((s) => new Set(s).add(`job:${alias}`));
    if (findCommand('runs') && !runs[alias]) {
      const model = actions.command('runs', ['list']);
      void runsOfJob(model, JOB_ALIASES[alias] ?? alias).then((list) => setRuns((r) => ({ ...r, [alias]: list })));
    }
  };
  // The shares of the env, then one share's tables and recipients, through the same commands the CLI runs.
  const expandShares = (): void => {
    setExpanded((s) => new Set(s).add('shares'));
    if (!shares) void tablesOf(actions.command('shares', ['list'])).then((t) => setShares([...t.values()][0]?.map((r) => r['share'] ?? '') ?? []));
  };
  const expandShare = (share: string): void => {
    setExpanded((s) => new Set(s).add(`share:${share}`));
    if (!shareDetails[share]) {
      void tablesOf(actions.command('shares', ['show', share])).then((t) => {
        const tables = (t.get('tables') ?? []).map((r) => ({ name: r['shared_as'] ?? '', history: r['history'] === 'yes' }));
        setShareDetails((d) => ({ ...d, [share]: { tables, recipients: (t.get('recipients') ?? []).map((r) => r['recipient'] ?? '') } }));
      });
    }
  };
  const collapse = (id: string): void => setExpanded((s) => new Set([...s].filter((x) => x !== id)));

  useInput(
    (input, key) => {
      const item = items[current];
      if (key.downArrow || input === 'j') setCursor(stepCursor(items, current, 1));
      else if (key.upArrow || input === 'k') setCursor(stepCursor(items, current, -1));
      else if (key.pageDown) setCursor(stepCursor(items, current, 10));
      else if (key.pageUp) setCursor(stepCursor(items, current, -10));
      else if (!item) return;
      else if (key.return || key.rightArrow || input === 'l') {
        if (item.kind === 'env') actions.line(`env ${item.env}`);
        else if (item.kind === 'layer') item.expanded && key.return ? collapse(item.id) : expandLayer(item.layer);
        else if (item.kind === 'table') dispatch({ type: 'show', main: { kind: 'table', table: item.table, tab: 'schema' } });
        else if (item.kind === 'job') {
          if (key.return) dispatch({ type: 'show', main: { kind: 'run', job: item.alias, model: undefined } });
          else expandJob(item.alias);
        } else if (item.kind === 'run') dispatch({ type: 'show', main: { kind: 'run', job: item.alias, model: actions.command('runs', ['show', item.runId]) } });
        else if (item.kind === 'shares') item.expanded && key.return ? collapse(item.id) : expandShares();
        else if (item.kind === 'share') key.return ? actions.line(`shares show ${item.share}`) : expandShare(item.share);
        else if (item.kind === 'sharedTable') actions.line(`shares show ${item.share}`);
        else if (item.kind === 'recipient') actions.line(`shares exposure ${item.recipient}`);
      } else if (key.leftArrow || input === 'h') {
        if (item.kind === 'layer' || item.kind === 'job' || item.kind === 'shares' || item.kind === 'share') collapse(item.id);
        else if (item.kind === 'sharedTable' || item.kind === 'recipient') collapse(`share:${item.share}`);
        else if (item.kind === 'table') collapse(`layer:${item.layer}`);
        else if (item.kind === 'run') collapse(`job:${item.alias}`);
      }
    },
    { isActive: active },
  );
  return { items, cursor: current };
}

function safeProtected(dir: string, name: string): boolean {
  try {
    return loadProfile(dir, name).protected;
  } catch {
    return false;
  }
}
