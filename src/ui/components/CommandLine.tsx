import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { commonPrefix, type Completion } from '../../session/completion.js';
import { cursorOffset, editKey, EMPTY_TEXT, fromText, replaceRange, textOf, type TextBuffer } from '../model/textBuffer.js';
import { TextEditor } from './TextEditor.js';

export interface CommandLineProps {
  mode: 'command' | 'filter' | 'idle';
  width: number;
  hint: string;
  /** Earlier command lines, oldest first. */
  history: readonly string[];
  complete: (text: string, cursor: number) => Completion;
  onSubmit: (text: string) => void;
  onChange?: (text: string) => void;
  onCancel: () => void;
}

/** The bottom line: `:` commands with completion and history, `/` filters, otherwise key hints. */
export function CommandLine({ mode, width, hint, history, complete, onSubmit, onChange, onCancel }: CommandLineProps) {
  const [buffer, setBuffer] = useState<TextBuffer>(EMPTY_TEXT);
  const [back, setBack] = useState(0);
  const [candidates, setCandidates] = useState<string[]>([]);
  useEffect(() => {
    setBuffer(EMPTY_TEXT);
    setBack(0);
    setCandidates([]);
  }, [mode]);

  const change = (next: TextBuffer): void => {
    setBuffer(next);
    setCandidates([]);
    onChange?.(textOf(next));
  };

  useInput(
    (input, key) => {
      if (key.escape) return onCancel();
      if (key.return) return onSubmit(textOf(buffer).trim());
      if (key.tab && mode === 'command') {
        const done = complete(textOf(buffer), cursorOffset(buffer));
        if (done.candidates.length === 0) return;
        const typed = textOf(buffer).slice(done.start, done.end);
        const fill = done.candidates.length === 1 ? `${done.candidates[0]} ` : commonPrefix(done.candidates);
        if (fill.length > typed.length) change(replaceRange(buffer, done.start, done.end, fill));
        setCandidates(done.candidates.length > 1 ? done.candidates : []);
        return;
      }
      if ((key.upArrow || key.downArrow) && mode === 'command' && history.length > 0) {
        const n = Math.max(0, Math.min(history.length, back + (key.upArrow ? 1 : -1)));
        setBack(n);
        return change(n === 0 ? EMPTY_TEXT : fromText(history[history.length - n]!));
      }
      const next = editKey(buffer, input, key);
      if (next) change(next);
    },
    { isActive: mode !== 'idle' },
  );

  if (mode === 'idle') {
    return (
      <Box width={width}>
        <Text dimColor wrap="truncate">
          {hint}
        </Text>
      </Box>
    );
  }
  const editorWidth = candidates.length > 0 ? Math.min(width, textOf(buffer).length + 3) : width;
  return (
    <Box width={width}>
      <TextEditor buffer={buffer} width={editorWidth} height={1} active prompt={mode === 'command' ? ':' : '/'} />
      {candidates.length > 0 ? (
        <Box width={Math.max(0, width - editorWidth)}>
          <Text dimColor wrap="truncate">
            {candidates.join('  ')}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}
