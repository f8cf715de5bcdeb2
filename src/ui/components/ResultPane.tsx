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

function PartText({ part, width, height }: { part: Exclude<ResultPart, { kind: 'table' }>; width: number; height: number }) {
  if (part.kind === 'message') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {part.text.split('\n').slice(-height).map((line, i) => (
          <Text key={i} wrap="truncate">{line}</Text>
        ))}
      </Box>
    );
  }
  const entries = Object.entries(part.data);
  const keyWidth = Math.min(24, Math.max(...entries.map(([k]) => k.length), 4));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {part.title ? <Text bold>{part.title}</Text> : null}
      {entries.slice(0, height - (part.title ? 1 : 0)).map(([k, v]) => (
        <Text key={k} wrap="truncate">
          <Text color="cyan">{k.padEnd(keyWidth)}</Text> {cellText(v)}
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
  const lines = height - (count > 1 ? 1 : 0) - (model.error ? 1 : 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {count > 1 ? <Text dimColor wrap="truncate">{`${titleOf(part) ?? 'result'} (${index + 1}/${count}, [ ] switch)`}</Text> : null}
      {model.error ? <Text color="red" wrap="truncate">{errorText(model.error)}</Text> : null}
      {!part ? (
        <Text dimColor>{model.done ? (model.error ? '' : '(no result)') : 'running…'}</Text>
      ) : part.kind === 'table' ? (
        <ResultGrid key={index} buffer={part.buffer} width={width} height={lines} active={active} {...(changedColumns ? { changedColumns } : {})} {...(onSelect ? { onSelect } : {})} />
      ) : (
        <PartText part={part} width={width} height={lines} />
      )}
    </Box>
  );
}
