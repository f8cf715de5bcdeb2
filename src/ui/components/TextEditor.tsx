import { Box, Text } from 'ink';
import type { TextBuffer } from '../model/textBuffer.js';

export interface TextEditorProps {
  buffer: TextBuffer;
  width: number;
  height: number;
  active: boolean;
  prompt?: string;
  placeholder?: string;
}

/** Renders editable text with a block cursor; scrolls to keep the cursor's line in view. */
export function TextEditor({ buffer, width, height, active, prompt = '', placeholder }: TextEditorProps) {
  const top = Math.max(0, Math.min(buffer.row - height + 1, buffer.lines.length - height));
  const visible = buffer.lines.slice(Math.max(0, top), Math.max(0, top) + height);
  const empty = buffer.lines.length === 1 && buffer.lines[0] === '';
  const room = Math.max(1, width - prompt.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {visible.map((line, i) => {
        const row = Math.max(0, top) + i;
        const lead = row === 0 ? prompt : ' '.repeat(prompt.length);
        if (!active || row !== buffer.row) {
          const shown = empty && row === 0 && placeholder ? placeholder : line;
          return (
            <Text key={row} wrap="truncate" dimColor={empty && row === 0}>
              {lead}
              {shown || ' '}
            </Text>
          );
        }
        // Keep the cursor on screen on a line longer than the pane.
        const start = Math.max(0, buffer.col - room + 1);
        const before = line.slice(start, buffer.col);
        const at = line[buffer.col] ?? ' ';
        const after = line.slice(buffer.col + 1, start + room);
        return (
          <Text key={row} wrap="truncate">
            {lead}
            {before}
            <Text inverse>{at}</Text>
            {after}
            {empty && placeholder ? <Text dimColor>{placeholder}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
