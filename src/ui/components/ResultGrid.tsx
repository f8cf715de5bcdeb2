import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import type { Row } from '../../core/types.js';
import { useVersion } from '../hooks/useVersion.js';
import { cellText, columnWidths, gridLines, moveCursor, widen, type GridCursor } from '../model/gridLayout.js';
import type { ResultBuffer } from '../model/resultBuffer.js';

export interface ResultGridProps {
  buffer: ResultBuffer;
  width: number;
  /** Rows of the terminal the grid may use, header and footer included. */
  height: number;
  /** Keys move the grid only while it has the focus. */
  active: boolean;
  /** Columns of a row to highlight (a diff's changed columns). */
  changedColumns?: (row: Row) => ReadonlySet<number>;
  onSelect?: (row: Row, index: number) => void;
}

const START: GridCursor = { selected: 0, top: 0, firstColumn: 0 };

/** A streaming result: only the visible window of rows is formatted, whatever the row count. */
export function ResultGrid({ buffer, width, height, active, changedColumns, onSelect }: ResultGridProps) {
  useVersion(buffer);
  const [cursor, setCursor] = useState<GridCursor>(START);
  const bodyHeight = Math.max(1, height - 2);
  const total = buffer.rows.length;
  const sampled = Math.min(total, 200);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const base = useMemo(() => columnWidths(buffer.columns, buffer.rows), [buffer, sampled]);
  const widths = widen(base, buffer.rows.slice(cursor.top, cursor.top + bodyHeight));

  useInput(
    (input, key) => {
      const move = (delta: number): void => {
        const next = moveCursor(cursor, delta, total, bodyHeight);
        setCursor(next);
        const row = buffer.rows[next.selected];
        if (row && onSelect) onSelect(row, next.selected);
      };
      if (key.downArrow || input === 'j') move(1);
      else if (key.upArrow || input === 'k') move(-1);
      else if (key.pageDown || input === ' ') move(bodyHeight);
      else if (key.pageUp || input === 'b') move(-bodyHeight);
      else if (key.home || input === 'g') move(-total);
      else if (key.end || input === 'G') move(total);
      else if (key.rightArrow || input === 'l') setCursor({ ...cursor, firstColumn: Math.min(buffer.columns.length - 1, cursor.firstColumn + 1) });
      else if (key.leftArrow || input === 'h') setCursor({ ...cursor, firstColumn: Math.max(0, cursor.firstColumn - 1) });
    },
    { isActive: active },
  );

  const view = { top: cursor.top, height: bodyHeight, firstColumn: cursor.firstColumn, width };
  const { header, lines, shown } = gridLines(buffer.columns, buffer.rows, widths, view);
  const first = shown[0]?.index ?? 0;
  const last = shown[shown.length - 1]?.index ?? 0;
  const state = buffer.error ? 'failed' : buffer.done ? (buffer.truncated ? 'stopped at the row limit' : 'complete') : 'loading…';
  const footer = `rows ${total === 0 ? 0 : cursor.selected + 1}/${total.toLocaleString('en-US')} ${state} · cols ${first + 1}–${last + 1}/${buffer.columns.length}${first > 0 ? ' ◂' : ''}${last < buffer.columns.length - 1 ? ' ▸' : ''}`;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {header}
      </Text>
      {lines.map((line, i) => {
        const index = cursor.top + i;
        const selected = active && index === cursor.selected;
        const changed = changedColumns?.(buffer.rows[index]!);
        if (!changed || changed.size === 0) {
          return (
            <Text key={index} inverse={selected} wrap="truncate">
              {line}
            </Text>
          );
        }
        return (
          <Text key={index} inverse={selected} wrap="truncate">
            {shown.map((c, j) => (
              <Text key={c.index} color={changed.has(c.index) ? 'yellow' : undefined} bold={changed.has(c.index)}>
                {(j === 0 ? '' : ' │ ') + cellText(buffer.rows[index]![c.index]).slice(0, c.width).padEnd(c.width)}
              </Text>
            ))}
          </Text>
        );
      })}
      {lines.length < bodyHeight ? <Box height={bodyHeight - lines.length} /> : null}
      <Text dimColor wrap="truncate">
        {footer}
      </Text>
    </Box>
  );
}
