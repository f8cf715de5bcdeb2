import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { Row } from '../../core/types.js';
import { findCommand } from '../../commands/index.js';
import { ResultPane } from '../components/ResultPane.js';
import { Sparkline } from '../components/Sparkline.js';
import { Tabs } from '../components/Tabs.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useVersion } from '../hooks/useVersion.js';
import { TABLE_TABS, type TableTab } from '../model/consoleState.js';
import type { ResultModel } from '../model/resultModel.js';
import { changedColumnsOf, commandKey, historySeries, tabCommand, type Versions } from '../model/tableTabs.js';

const has = (name: string): boolean => findCommand(name) !== undefined;

/** A table: schema, history with a rows-written sparkline, data preview, CDF and diff between two versions. */
export function TableView({ table, tab, width, height, active }: { table: string; tab: TableTab; width: number; height: number; active: boolean }) {
  const { dispatch, actions } = useConsole();
  const [models, setModels] = useState<ReadonlyMap<string, ResultModel>>(new Map());
  const [versions, setVersions] = useState<Versions>({ from: undefined, to: undefined });
  const [selected, setSelected] = useState<Row | undefined>(undefined);
  useEffect(() => {
    setModels(new Map());
    setVersions({ from: undefined, to: undefined });
  }, [table]);

  const command = tabCommand(tab, table, versions, has);
  const key = commandKey(command);
  const model = key ? models.get(key) : undefined;
  const historyCommand = tabCommand('history', table, versions, has);
  const historyKey = commandKey(historyCommand)!;
  const history = models.get(historyKey);
  useVersion(history);

  // A tab runs its command the first time it is shown; results are kept while the table is open.
  useEffect(() => {
    // The history feeds the sparkline and the versions data, CDF and diff read.
    const wanted = [historyCommand, command];
    const started = new Map<string, ResultModel>();
    for (const c of wanted) {
      const k = commandKey(c);
      if (!k || 'unavailable' in c || models.has(k) || started.has(k)) continue;
      started.set(k, actions.command(c.name, c.argv));
    }
    if (started.size > 0) setModels((m) => new Map([...m, ...started]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tab]);
  useEffect(() => {
    if (model && active) dispatch({ type: 'shown', model });
  }, [model, active, dispatch]);

  const historyTable = history?.lastTable;
  const series = useMemo(
    () =>
      historyTable
        ? historySeries(
            historyTable.columns.map((c) => c.name),
            historyTable.rows,
          )
        : [],
    [historyTable, historyTable?.version],
  );
  // Default CDF/diff range: the last two versions.
  useEffect(() => {
    if (versions.to === undefined && series.length > 0) setVersions({ from: series[Math.max(0, series.length - 2)]!.version, to: series[series.length - 1]!.version });
  }, [series, versions.to]);

  useInput(
    (input, key) => {
      const at = TABLE_TABS.indexOf(tab);
      const go = (t: TableTab | undefined): void => (t ? dispatch({ type: 'show', main: { kind: 'table', table, tab: t } }) : undefined);
      if (/^[1-5]$/.test(input)) go(TABLE_TABS[Number(input) - 1]);
      else if (key.tab && key.shift) go(TABLE_TABS[(at + TABLE_TABS.length - 1) % TABLE_TABS.length]);
      else if (input === '>' || input === '.') go(TABLE_TABS[(at + 1) % TABLE_TABS.length]);
      else if (input === '<' || input === ',') go(TABLE_TABS[(at + TABLE_TABS.length - 1) % TABLE_TABS.length]);
      else if (tab === 'history' && (input === 'f' || input === 't') && historyTable && (selected ?? historyTable.rows[0])) {
        const v = Number((selected ?? historyTable.rows[0]!)[historyTable.columns.findIndex((c) => c.name.toLowerCase() === 'version')]);
        if (Number.isFinite(v)) setVersions((old) => (input === 'f' ? { ...old, from: v } : { ...old, to: v }));
      }
    },
    { isActive: active },
  );

  const disabled: Partial<Record<TableTab, string>> = {};
  for (const t of TABLE_TABS) {
    const c = tabCommand(t, table, versions, has);
    if ('unavailable' in c) disabled[t] = c.unavailable;
  }
  const range = versions.from !== undefined ? `v${versions.from} → v${versions.to}` : '';
  const chrome = 2 + (tab === 'history' ? 1 : 0);
  const table_ = model?.lastTable;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{table}</Text>
        <Text dimColor>{range ? `  cdf/diff ${range}` : ''}</Text>
      </Text>
      <Tabs tabs={TABLE_TABS} current={tab} disabled={disabled} />
      {tab === 'history' ? <Sparkline label={`rows written per version (${series.length})`} values={series.map((s) => s.rows)} width={width} /> : null}
      {'unavailable' in command ? (
        <Text color="yellow">{command.unavailable}</Text>
      ) : model ? (
        <ResultPane
          model={model}
          width={width}
          height={height - chrome}
          active={active}
          onSelect={(row) => setSelected(row)}
          {...(tab === 'schema' ? { preferred: 'schema' } : {})}
          {...(tab === 'diff' && table_ ? { changedColumns: changedColumnsOf(table_.columns.map((c) => c.name)) ?? (() => new Set<number>()) } : {})}
        />
      ) : null}
    </Box>
  );
}
