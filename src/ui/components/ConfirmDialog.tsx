import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import type { Confirmation } from '../model/consoleState.js';
import { editKey, EMPTY_TEXT, textOf } from '../model/textBuffer.js';
import { TextEditor } from './TextEditor.js';

/** A destructive action waits here until the operator types the expected text (Esc refuses). */
export function ConfirmDialog({ confirm, width }: { confirm: Confirmation; width: number }) {
  const [buffer, setBuffer] = useState(EMPTY_TEXT);
  useInput((input, key) => {
    if (key.escape) return confirm.answer(undefined);
    if (key.return) return confirm.answer(textOf(buffer));
    const next = editKey(buffer, input, key);
    if (next) setBuffer(next);
  });
  return (
    <Box flexDirection="column" width={width} borderStyle="double" borderColor="red" paddingX={1}>
      <Text color="red" bold>
        Confirm
      </Text>
      <Text wrap="wrap">{confirm.question}</Text>
      <Text dimColor>Type {confirm.expected} and Enter to go ahead; Esc cancels.</Text>
      <TextEditor buffer={buffer} width={width - 4} height={1} active prompt="> " />
    </Box>
  );
}
