import { Box, Text } from 'ink';
import type { TaskState, TaskView } from '../model/runState.js';

const LOOK: Record<TaskState, { mark: string; color: string }> = {
  queued: { mark: '○', color: 'gray' },
  running: { mark: '◐', color: 'yellow' },
  retrying: { mark: '↻', color: 'yellow' },
  succeeded: { mark: '●', color: 'green' },
  'up-to-date': { mark: '✓', color: 'green' },
  failed: { mark: '✗', color: 'red' },
  skipped: { mark: '–', color: 'gray' },
  cancelled: { mark: '◼', color: 'gray' },
};

/** How a task's name is shown: indented by its depth in the graph. */
export function taskLabel(task: TaskView): string {
  return `${'  '.repeat(Math.min(task.level, 4))}${task.key}`;
}

export function TaskLine({ task, nameWidth }: { task: TaskView; nameWidth: number }) {
  const look = LOOK[task.state];
  const name = taskLabel(task);
  const facts = [
    task.duration,
    task.attempts && task.attempts !== '1' ? `attempt ${task.attempts}` : undefined,
    task.versions,
    task.rows ? `${task.rows} rows` : undefined,
    // Last: what was written matters most in the narrow pane; the read ranges follow when there is room.
    task.read ? `read ${task.read}` : undefined,
  ]
    .filter(Boolean)
    .join('  ');
  return (
    <Text wrap="truncate">
      <Text color={look.color}>{look.mark} </Text>
      {name.length >= nameWidth ? `${name.slice(0, nameWidth - 2)}… ` : name.padEnd(nameWidth)}
      <Text color={look.color}>{task.state.padEnd(10)}</Text>
      <Text dimColor>{facts}</Text>
    </Text>
  );
}

export interface RunGraphProps {
  title: string;
  /** What the run is doing, e.g. `running… Ctrl-C cancels`. */
  status: string;
  tasks: readonly TaskView[];
  width: number;
  height: number;
  /** First task line shown (the list scrolls). */
  top: number;
}

/** A job's tasks with their states, durations, versions and rows written, and the failed task's error. */
export function RunGraph({ title, status, tasks, width, height, top }: RunGraphProps) {
  const failed = tasks.find((t) => t.state === 'failed');
  const counts = tasks.reduce<Record<string, number>>((acc, t) => ({ ...acc, [t.state]: (acc[t.state] ?? 0) + 1 }), {});
  const listHeight = Math.max(1, height - 2 - (failed?.error ? 2 : 0));
  const nameWidth = Math.min(Math.max(12, width - 30), Math.max(12, ...tasks.map((t) => taskLabel(t).length + 2)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold>{title}</Text>
        <Text dimColor>{`  ${tasks.length} tasks · ${Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(' · ')}`}</Text>
      </Text>
      <Text dimColor wrap="truncate">
        {status}
      </Text>
      {tasks.slice(top, top + listHeight).map((t) => (
        <TaskLine key={t.key} task={t} nameWidth={nameWidth} />
      ))}
      {failed?.error ? (
        <Box flexDirection="column">
          <Text color="red" bold wrap="truncate">{`${failed.key} failed:`}</Text>
          <Text color="red" wrap="truncate">
            {failed.error}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
