import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import { commonPrefix, completeSql } from '../../session/completion.js';
import { TextEditor } from '../components/TextEditor.js';
import { ResultPane } from '../components/ResultPane.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSession, useSessionState } from '../contexts/SessionContext.js';
import type { ResultModel } from '../model/resultModel.js';
import { cursorOffset, editKey, EMPTY_TEXT, fromText, insert, replaceRange, textOf, type TextBuffer } from '../model/textBuffer.js';

/**
 * The SQL pane: a multi-line editor over a streaming result grid. Enter runs a statement that
 * ends in `;` (Ctrl-R runs any), Tab completes, ↑ on the first line walks the env's history.
 */
export function SqlPane({ width, height, visible, active }: { width: number; height: number; visible: boolean; active: boolean }) {
  const { catalog, history } = useSession();
  const { env, profile } = useSessionState();
  const { dispatch, actions } = useConsole();
  const [buffer, setBuffer] = useState<TextBuffer>(EMPTY_TEXT);
  const [model, setModel] = useState<ResultModel | undefined>(undefined);
  const [editing, setEditing] = useState(true);
  const [back, setBack] = useState(0);
  const [candidates, setCandidates] = useState<string[]>([]);
  const entries = history(env).all.filter((e) => !e.startsWith(':'));

  useEffect(() => {
    dispatch({ type: 'typing', typing: visible && active && editing });
  }, [visible, active, editing, dispatch]);
  useEffect(() => {
    if (visible && model) dispatch({ type: 'shown', model });
  }, [visible, model, dispatch]);
  // Table names for completion, looked up in the background once the pane opens.
  useEffect(() => {
    if (visible) void catalog.preload().catch(() => undefined);
  }, [visible, catalog, env]);

  const run = (): void => {
    const text = textOf(buffer).trim();
    if (!text) return;
    history(env).add(text);
    setBack(0);
    setModel(actions.sql(text));
    void catalog.preload().catch(() => undefined);
  };

  const complete = (): void => {
    const text = textOf(buffer);
    for (const table of catalog.tables) if (text.includes(table.split('.').pop()!) && !catalog.columns.has(table)) void catalog.loadColumns(table).catch(() => undefined);
    const done = completeSql(text, cursorOffset(buffer), catalog);
    const typed = text.slice(done.start, done.end);
    const fill = done.candidates.length === 1 ? done.candidates[0]! : commonPrefix(done.candidates);
    if (fill.length > typed.length) setBuffer(replaceRange(buffer, done.start, done.end, fill));
    setCandidates(done.candidates.length > 1 ? done.candidates : []);
  };

  useInput(
    (input, key) => {
      if (!editing) {
        if (key.escape) dispatch({ type: 'focus', focus: 'nav' });
        else if (input === 'i' || key.return) setEditing(true);
        return;
      }
      setCandidates([]);
      if (key.escape) return setEditing(false);
      if (key.ctrl && input === 'c') return actions.running === 0 ? setBuffer(EMPTY_TEXT) : undefined;
      if (key.ctrl && input === 'r') return run();
      if (key.return) return textOf(buffer).trim().endsWith(';') ? run() : setBuffer(insert(buffer, '\n'));
      if (key.tab) return complete();
      const walk = (key.upArrow && buffer.row === 0) || (key.ctrl && input === 'p') ? 1 : (key.downArrow && buffer.row === buffer.lines.length - 1) || (key.ctrl && input === 'n') ? -1 : 0;
      if (walk !== 0 && entries.length > 0) {
        const n = Math.max(0, Math.min(entries.length, back + walk));
        setBack(n);
        return setBuffer(n === 0 ? EMPTY_TEXT : fromText(entries[entries.length - n]!));
      }
      const next = editKey(buffer, input, key);
      if (next) setBuffer(next);
    },
    { isActive: visible && active },
  );

  const editorHeight = Math.min(6, Math.max(3, buffer.lines.length));
  const hint = editing
    ? candidates.length > 0
      ? candidates.slice(0, 10).join('  ')
      : 'Enter runs a statement ending in ;  Ctrl-R run  Tab complete  ↑ history  Esc results'
    : 'grid: ↑↓ PgUp PgDn ←→  [ ] results  i edit  Esc navigator  :export csv <file>';
  return (
    <Box flexDirection="column" width={width} height={height} display={visible ? 'flex' : 'none'}>
      <Box borderStyle="single" borderColor={active && editing ? 'cyan' : 'gray'} borderLeft={false} borderRight={false} borderTop={false} width={width} height={editorHeight + 1}>
        <TextEditor buffer={buffer} width={width} height={editorHeight} active={active && editing} prompt="sql> " placeholder={`select * from ${profile.schemas.gold}.dim_store limit 10;`} />
      </Box>
      <Text dimColor wrap="truncate">
        {hint}
      </Text>
      {model ? (
        <ResultPane model={model} width={width} height={height - editorHeight - 2} active={active && !editing} />
      ) : (
        <Text dimColor>results stream here; first rows appear while the rest load</Text>
      )}
    </Box>
  );
}
