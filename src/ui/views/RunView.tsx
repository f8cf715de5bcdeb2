import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { currentStreamState, type StreamState } from '../../ops/stream.js';
import { findCommand } from '../../commands/index.js';
import { findJob } from '../../pipelines/jobs.js';
import { RunGraph } from '../components/RunGraph.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSession, useSessionState } from '../contexts/SessionContext.js';
import { errorText } from '../hooks/useActions.js';
import { useVersion } from '../hooks/useVersion.js';
import type { ResultModel } from '../model/resultModel.js';
import { applyProgress, mergeTaskRows, taskGraph, type TaskView } from '../model/runState.js';

/** Task states as `run` reports them: its live task events first, then its per-task table. */
export function runTasks(base: readonly TaskView[], model: ResultModel | undefined): TaskView[] {
  let graph = [...base];
  for (const line of model?.progress ?? []) graph = applyProgress(graph, line);
  const table = model?.lastTable;
  return table
    ? mergeTaskRows(
        graph,
        table.columns.map((c) => c.name),
        table.rows,
      )
    : graph;
}

const STREAM_POLL_MS = 1000;

/** The env's sales stream as `lhctl stream` records it, read again every second while shown. */
function useStreamState(home: string, env: string, enabled: boolean): StreamState | undefined {
  const [state, setState] = useState<StreamState | undefined>(() => (enabled ? currentStreamState(home, env) : undefined));
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setInterval(() => setState(currentStreamState(home, env)), STREAM_POLL_MS);
    return () => clearInterval(timer);
  }, [home, env, enabled]);
  return state;
}

/** One line on the continuous stream: its state, totals, lag and latest micro-batch. */
export function streamLine(state: StreamState | undefined, env: string): string {
  if (!state) return `stream: not started · lhctl stream start --env ${env}`;
  const last = state.recent.at(-1);
  const batch = last
    ? ` · batch ${last.batchId}: ${last.rows} rows in ${(last.durationMs / 1000).toFixed(1)} s${last.silverMs === undefined ? '' : `, silver ${(last.silverMs / 1000).toFixed(1)} s`}`
    : '';
  const lag = last?.lag === null || last?.lag === undefined ? '' : ` · lag ${last.lag}`;
  const error = state.error ? ` · ${state.error.split('\n')[0]}` : '';
  return `stream ${state.state} · ${state.rows.toLocaleString('en-US')} rows in ${state.batches} micro-batch${state.batches === 1 ? '' : 'es'}${lag}${batch}${error}`;
}

/** A job's task graph; `r` runs it with `lhctl run`, whose live task events colour the graph. */
export function RunView({ job, model, width, height, active }: { job: string; model: ResultModel | undefined; width: number; height: number; active: boolean }) {
  const { profile } = useSessionState();
  const { session } = useSession();
  const { dispatch, actions } = useConsole();
  const settings = useMemo(() => findJob(profile, job), [profile, job]);
  // The ingestion job of an env with a Kafka topic: the continuous stream's state goes under its graph.
  const streams = settings?.tasks.some((t) => t.task_key === 'stream_sales_transactions') === true;
  const stream = useStreamState(session.settings.home, profile.name, streams);
  const [top, setTop] = useState(0);
  const version = useVersion(model);
  const rows = useVersion(model?.lastTable);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const tasks = useMemo(() => runTasks(settings ? taskGraph(settings) : [], model), [settings, model, version, rows]);

  const canRun = findCommand('run') !== undefined;
  useInput(
    (input, key) => {
      if (input === 'r' && canRun && (!model || model.done)) dispatch({ type: 'show', main: { kind: 'run', job, model: actions.command('run', [job]) } });
      else if (input === 'o' && model) dispatch({ type: 'show', main: { kind: 'result', model } });
      else if (key.downArrow || input === 'j') setTop((t) => Math.min(Math.max(0, tasks.length - 1), t + 1));
      else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
    },
    { isActive: active },
  );

  if (!settings)
    return (
      <Text color="yellow">
        no job "{job}" for env {profile.name}
      </Text>
    );
  const status = model
    ? model.done
      ? model.error
        ? `run ended: ${errorText(model.error)}`
        : 'run finished · o shows the command output'
      : 'running… Ctrl-C cancels'
    : canRun
      ? 'r runs this job now'
      : 'task graph (the run command is not available in this build)';
  if (!streams) return <RunGraph title={settings.name} status={status} tasks={tasks} width={width} height={height} top={top} />;
  const line = streamLine(stream, profile.name);
  return (
    <Box flexDirection="column">
      <RunGraph title={settings.name} status={status} tasks={tasks} width={width} height={height - 1} top={top} />
      <Text wrap="truncate" color={stream?.state === 'running' ? 'green' : stream?.state === 'failed' ? 'red' : 'gray'}>
        {line}
      </Text>
    </Box>
  );
}
