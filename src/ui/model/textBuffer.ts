import type { Key } from 'ink';

/** Editable text with a cursor; multi-line for the SQL pane, one line for the command line. */
export interface TextBuffer {
  lines: string[];
  row: number;
  col: number;
}

export const EMPTY_TEXT: TextBuffer = { lines: [''], row: 0, col: 0 };

export function textOf(buffer: TextBuffer): string {
  return buffer.lines.join('\n');
}

export function fromText(text: string): TextBuffer {
  const lines = text.split('\n');
  return { lines, row: lines.length - 1, col: lines[lines.length - 1]!.length };
}

/** The flat offset of the cursor in `textOf(buffer)`. */
export function cursorOffset(buffer: TextBuffer): number {
  return buffer.lines.slice(0, buffer.row).reduce((n, l) => n + l.length + 1, 0) + buffer.col;
}

export function insert(buffer: TextBuffer, text: string): TextBuffer {
  const line = buffer.lines[buffer.row]!;
  const merged = line.slice(0, buffer.col) + text + line.slice(buffer.col);
  const parts = merged.split(/\r\n|\r|\n/);
  const lines = [...buffer.lines.slice(0, buffer.row), ...parts, ...buffer.lines.slice(buffer.row + 1)];
  const tail = line.length - buffer.col;
  const row = buffer.row + parts.length - 1;
  return { lines, row, col: lines[row]!.length - tail };
}

/** Replaces `[start, end)` of the flat text (a completion) and leaves the cursor after it. */
export function replaceRange(buffer: TextBuffer, start: number, end: number, text: string): TextBuffer {
  const flat = textOf(buffer);
  const next = fromText(flat.slice(0, start) + text);
  const rest = flat.slice(end);
  const restLines = rest.split('\n');
  const lines = [...next.lines.slice(0, -1), next.lines[next.lines.length - 1]! + restLines[0]!, ...restLines.slice(1)];
  return { lines, row: next.row, col: next.col };
}

function backspace(b: TextBuffer): TextBuffer {
  if (b.col > 0) {
    const line = b.lines[b.row]!;
    return { ...b, lines: b.lines.map((l, i) => (i === b.row ? line.slice(0, b.col - 1) + line.slice(b.col) : l)), col: b.col - 1 };
  }
  if (b.row === 0) return b;
  const previous = b.lines[b.row - 1]!;
  const lines = [...b.lines.slice(0, b.row - 1), previous + b.lines[b.row]!, ...b.lines.slice(b.row + 1)];
  return { lines, row: b.row - 1, col: previous.length };
}

function deleteWordBefore(b: TextBuffer): TextBuffer {
  const line = b.lines[b.row]!;
  const before = line.slice(0, b.col).replace(/\S+\s*$/, '');
  return { ...b, lines: b.lines.map((l, i) => (i === b.row ? before + line.slice(b.col) : l)), col: before.length };
}

/**
 * Applies an editing key; returns undefined for keys that are not editing (Enter, Tab, Esc,
 * Up/Down at the edges), which the caller handles (run, complete, history).
 */
export function editKey(b: TextBuffer, input: string, key: Key): TextBuffer | undefined {
  const line = b.lines[b.row]!;
  if (key.backspace || (key.ctrl && input === 'h')) return backspace(b);
  if (key.delete) {
    if (b.col < line.length) return { ...b, lines: b.lines.map((l, i) => (i === b.row ? line.slice(0, b.col) + line.slice(b.col + 1) : l)) };
    if (b.row === b.lines.length - 1) return b;
    return { ...b, lines: [...b.lines.slice(0, b.row), line + b.lines[b.row + 1]!, ...b.lines.slice(b.row + 2)] };
  }
  if (key.leftArrow) return b.col > 0 ? { ...b, col: b.col - 1 } : b.row > 0 ? { ...b, row: b.row - 1, col: b.lines[b.row - 1]!.length } : b;
  if (key.rightArrow) return b.col < line.length ? { ...b, col: b.col + 1 } : b.row < b.lines.length - 1 ? { ...b, row: b.row + 1, col: 0 } : b;
  if (key.home || (key.ctrl && input === 'a')) return { ...b, col: 0 };
  if (key.end || (key.ctrl && input === 'e')) return { ...b, col: line.length };
  if (key.ctrl && input === 'u') return { ...b, lines: b.lines.map((l, i) => (i === b.row ? l.slice(b.col) : l)), col: 0 };
  if (key.ctrl && input === 'k') return { ...b, lines: b.lines.map((l, i) => (i === b.row ? l.slice(0, b.col) : l)) };
  if (key.ctrl && input === 'w') return deleteWordBefore(b);
  if (key.upArrow && b.row > 0) return { ...b, row: b.row - 1, col: Math.min(b.col, b.lines[b.row - 1]!.length) };
  if (key.downArrow && b.row < b.lines.length - 1) return { ...b, row: b.row + 1, col: Math.min(b.col, b.lines[b.row + 1]!.length) };
  if (key.ctrl || key.meta || key.escape || key.return || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  if (input) return insert(b, input);
  return undefined;
}
