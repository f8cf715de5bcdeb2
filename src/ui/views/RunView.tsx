import { Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { findCommand } from '../../commands/index.js';
import { findJob } from '../../pipelines/jobs.js';
import { RunGraph } from '../components/RunGraph.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSessionState } from '../contexts/SessionContext.js';
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

/** A job's task graph; `r` runs it with `lhctl run`, whose live task events colour the graph. */
export function RunView({ job, model, width, height, active }: { job: string; model: ResultModel | undefined; width: number; height: number; active: boolean }) {
  const { profile } = useSessionState();
  const { dispatch, actions } = useConsole();
  const settings = useMemo(() => findJob(profile, job), [profile, job]);
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
  return <RunGraph title={settings.name} status={status} tasks={tasks} width={width} height={height} top={top} />;
}
