import { Box, Text, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { findCommand } from '../../commands/index.js';
import { findJob } from '../../pipelines/jobs.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSessionState } from '../contexts/SessionContext.js';
import { useVersion } from '../hooks/useVersion.js';
import type { ResultModel } from '../model/resultModel.js';
import { applyProgress, mergeTaskRows, taskGraph, type TaskState, type TaskView } from '../model/runState.js';

const LOOK: Record<TaskState, { mark: string; color: string }> = {
  queued: { mark: '○', color: 'gray' },
  running: { mark: '◐', color: 'yellow' },
  retrying: { mark: '↻', color: 'yellow' },
  succeeded: { mark: '●', color: 'green' },
  failed: { mark: '✗', color: 'red' },
  skipped: { mark: '–', color: 'gray' },
  cancelled: { mark: '◼', color: 'gray' },
};

export function TaskLine({ task, width }: { task: TaskView; width: number }) {
  const look = LOOK[task.state];
  const name = `${'  '.repeat(Math.min(task.level, 4))}${task.key}`;
  const facts = [task.duration, task.attempts && task.attempts !== '1' ? `attempt ${task.attempts}` : undefined, task.versions ? `v${task.versions.replace(/^v/, '')}` : undefined, task.rows ? `${task.rows} rows` : undefined].filter(Boolean).join('  ');
  return (
    <Text wrap="truncate">
      <Text color={look.color}>{look.mark} </Text>
      {name.padEnd(Math.min(34, Math.max(20, width - 40)))}
      <Text color={look.color}>{task.state.padEnd(10)}</Text>
      <Text dimColor>{facts}</Text>
    </Text>
  );
}

/** A job's task graph with live states, durations, versions and rows per task, and the failed task's error. */
export function RunView({ job, model, width, height, active }: { job: string; model: ResultModel | undefined; width: number; height: number; active: boolean }) {
  const { profile } = useSessionState();
  const { state, dispatch, actions } = useConsole();
  const settings = useMemo(() => findJob(profile, job), [profile, job]);
  const [tasks, setTasks] = useState<TaskView[]>(() => (settings ? taskGraph(settings) : []));
  const [top, setTop] = useState(0);
  useVersion(model);
  useEffect(() => setTasks(settings ? taskGraph(settings) : []), [settings, model]);

  // Live: progress lines while the run is going; then the command's per-task table.
  useEffect(() => {
    if (model && !model.done && state.status) setTasks((t) => applyProgress(t, state.status!.text));
  }, [model, state.status]);
  const result = model?.lastTable;
  useVersion(result);
  useEffect(() => {
    if (result) setTasks((t) => mergeTaskRows(t, result.columns.map((c) => c.name), result.rows));
  }, [result, result?.version]);

  const canRun = findCommand('run') !== undefined;
  useInput(
    (input, key) => {
      if (input === 'r' && canRun && (!model || model.done)) dispatch({ type: 'show', main: { kind: 'run', job, model: actions.command('run', [job]) } });
      else if (key.downArrow || input === 'j') setTop((t) => Math.min(Math.max(0, tasks.length - 1), t + 1));
      else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
    },
    { isActive: active },
  );

  if (!settings) return <Text color="yellow">no job "{job}" for env {profile.name}</Text>;
  const failed = tasks.find((t) => t.state === 'failed');
  const counts = tasks.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.state]: (acc[t.state] ?? 0) + 1 }), {});
  const listHeight = Math.max(1, height - 2 - (failed?.error ? 2 : 0));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{settings.name}</Text>
        <Text dimColor>{`  ${tasks.length} tasks · ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(' · ')}`}</Text>
      </Text>
      <Text dimColor wrap="truncate">
        {model ? (model.done ? (model.error ? 'run ended with an error' : 'run finished') : 'running… Ctrl-C cancels') : canRun ? 'r runs this job now' : 'task graph (the run command is not available in this build)'}
      </Text>
      {tasks.slice(top, top + listHeight).map((t) => (
        <TaskLine key={t.key} task={t} width={width} />
      ))}
      {failed?.error ? (
        <Box flexDirection="column">
          <Text color="red" bold wrap="truncate">{`${failed.key} failed:`}</Text>
          <Text color="red" wrap="truncate">{failed.error}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
