import type { Column, Row, Value } from '../../core/types.js';
import { textValue } from '../../output/values.js';

export const MAX_COLUMN_WIDTH = 32;
const SAMPLE_ROWS = 200;
const GAP = ' │ ';

/** One cell as the grid shows it: NULL spelled out, line breaks folded, binary as hex. */
export function cellText(value: Value | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  return textValue(value, 'hex').replace(/\r?\n/g, '⏎');
}

function fit(text: string, width: number): string {
  if (text.length > width) return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
  return text.padEnd(width);
}

/** Widths from the header and the first rows, so columns do not jump while the result streams. */
export function columnWidths(columns: readonly Column[], rows: readonly Row[]): number[] {
  return widen(
    columns.map((c) => Math.max(4, Math.min(c.name.length, MAX_COLUMN_WIDTH))),
    rows.slice(0, SAMPLE_ROWS),
  );
}

/** Widths grown to fit `rows` too (the window on screen, deep in a result). */
export function widen(widths: readonly number[], rows: readonly Row[]): number[] {
  return widths.map((w, i) => {
    let width = w;
    for (const row of rows) width = Math.max(width, Math.min(cellText(row[i]).length, MAX_COLUMN_WIDTH));
    return width;
  });
}

/** The columns that fit in `width` starting at `first`; the last one is cut to what is left. */
export function visibleColumns(widths: readonly number[], first: number, width: number): { index: number; width: number }[] {
  const out: { index: number; width: number }[] = [];
  let used = 0;
  for (let i = first; i < widths.length; i++) {
    const gap = out.length === 0 ? 0 : GAP.length;
    const left = width - used - gap;
    if (left < 4) break;
    const w = Math.min(widths[i]!, left);
    out.push({ index: i, width: w });
    used += gap + w;
  }
  return out;
}

export interface GridLines {
  header: string;
  lines: string[];
  /** Columns shown, for the "columns a–b of n" hint. */
  shown: { index: number; width: number }[];
}

/** The text of the visible window of a result: only `height` rows are ever formatted. */
export function gridLines(columns: readonly Column[], rows: readonly Row[], widths: readonly number[], view: { top: number; height: number; firstColumn: number; width: number }): GridLines {
  const shown = visibleColumns(widths, view.firstColumn, view.width);
  const header = shown.map((c) => fit(columns[c.index]!.name, c.width)).join(GAP);
  const lines: string[] = [];
  const end = Math.min(rows.length, view.top + view.height);
  for (let r = view.top; r < end; r++) {
    const row = rows[r]!;
    lines.push(shown.map((c) => fit(cellText(row[c.index]), c.width)).join(GAP));
  }
  return { header, lines, shown };
}

export interface GridCursor {
  selected: number;
  top: number;
  firstColumn: number;
}

/** Moves the selection by `delta` rows and scrolls so it stays in view. */
export function moveCursor(cursor: GridCursor, delta: number, total: number, height: number): GridCursor {
  const selected = Math.max(0, Math.min(total - 1, cursor.selected + delta));
  let top = cursor.top;
  if (selected < top) top = selected;
  if (selected >= top + height) top = selected - height + 1;
  return { ...cursor, selected: Math.max(0, selected), top: Math.max(0, Math.min(top, Math.max(0, total - height))) };
}
