import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { Row } from '../../core/types.js';
import { errorText } from '../hooks/useActions.js';
import { useVersion } from '../hooks/useVersion.js';
import { cellText } from '../model/gridLayout.js';
import type { ResultModel, ResultPart } from '../model/resultModel.js';
import { ResultGrid } from './ResultGrid.js';

export interface ResultPaneProps {
  model: ResultModel;
  width: number;
  height: number;
  active: boolean;
  changedColumns?: (row: Row) => ReadonlySet<number>;
  onSelect?: (row: Row, index: number) => void;
  /** Title of the part to show first (e.g. `schema` of describe); otherwise the last part. */
  preferred?: string;
}

/** A message or a record as lines of text; ↑↓ scroll when it is longer than the pane. */
function PartText({ part, width, height, active, showTitle }: { part: Exclude<ResultPart, { kind: 'table' }>; width: number; height: number; active: boolean; showTitle: boolean }) {
  const [top, setTop] = useState(0);
  const lines: { key: string; value: string }[] =
    part.kind === 'message' ? part.text.split('\n').map((value) => ({ key: '', value })) : Object.entries(part.data).map(([key, v]) => ({ key, value: cellText(v) }));
  const title = part.kind === 'record' && showTitle && part.title ? part.title : undefined;
  const room = Math.max(1, height - (title ? 1 : 0));
  useInput(
    (input, key) => {
      if (key.downArrow || input === 'j') setTop((t) => Math.min(Math.max(0, lines.length - room), t + 1));
      if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
    },
    { isActive: active && lines.length > room },
  );
  const keyWidth = Math.min(24, Math.max(4, ...lines.map((l) => l.key.length)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {title ? <Text bold>{title}</Text> : null}
      {lines.slice(top, top + room).map((line, i) => (
        <Text key={top + i} wrap="truncate">
          {line.key ? <Text color="cyan">{line.key.padEnd(keyWidth)} </Text> : null}
          {line.value}
        </Text>
      ))}
    </Box>
  );
}

function titleOf(part: ResultPart | undefined): string | undefined {
  if (!part || part.kind === 'message') return undefined;
  return part.kind === 'table' ? part.buffer.title : part.title;
}

/** Whatever an action returned: tables in a streaming grid, records and messages as text; [ ] switch parts. */
export function ResultPane({ model, width, height, active, changedColumns, onSelect, preferred }: ResultPaneProps) {
  useVersion(model);
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  useEffect(() => setChosen(undefined), [model]);
  const count = model.parts.length;
  const preferredIndex = preferred === undefined ? -1 : model.parts.findIndex((p) => titleOf(p) === preferred);
  const index = chosen ?? (preferredIndex >= 0 ? preferredIndex : Math.max(0, count - 1));
  useInput(
    (input) => {
      if (input === '[') setChosen(Math.max(0, index - 1));
      if (input === ']') setChosen(Math.min(count - 1, index + 1));
    },
    { isActive: active && count > 1 },
  );
  const part = model.parts[index];
  // A table's title carries facts (a diff's counts, a run's state): shown above it.
  const heading = count > 1 ? `${titleOf(part) ?? 'result'} (${index + 1}/${count}, [ ] switch)` : part?.kind === 'table' ? part.buffer.title : undefined;
  const lines = height - (heading ? 1 : 0) - (model.error ? 1 : 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {heading ? (
        <Text dimColor wrap="truncate">
          {heading}
        </Text>
      ) : null}
      {model.error ? (
        <Text color="red" wrap="truncate">
          {errorText(model.error)}
        </Text>
      ) : null}
      {!part ? (
        <Text dimColor>{model.done ? (model.error ? '' : '(no result)') : 'running…'}</Text>
      ) : part.kind === 'table' ? (
        <ResultGrid key={index} buffer={part.buffer} width={width} height={lines} active={active} {...(changedColumns ? { changedColumns } : {})} {...(onSelect ? { onSelect } : {})} />
      ) : (
        <PartText key={index} part={part} width={width} height={lines} active={active} showTitle={count === 1} />
      )}
    </Box>
  );
}
