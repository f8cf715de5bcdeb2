import { useInput } from 'ink';
import { useConsole } from '../contexts/ConsoleContext.js';
import { shortcutsLive } from '../model/consoleState.js';

/** Keys that work everywhere: Ctrl-C cancels, and (when nothing is being typed) : / ? q s T Tab Esc. */
export function useGlobalKeys(): void {
  const { state, dispatch, actions, quit } = useConsole();
  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (actions.cancel()) return dispatch({ type: 'status', status: { text: 'cancelling the running statement…', tone: 'warn' } });
      if (state.focus === 'command' || state.focus === 'filter' || state.focus === 'help') return dispatch({ type: 'close' });
      if (!state.typing) dispatch({ type: 'status', status: { text: 'nothing is running — q quits the console', tone: 'info' } });
      return;
    }
    if (state.focus === 'help') {
      if (key.escape || input === 'q' || input === '?') dispatch({ type: 'close' });
      return;
    }
    if (!shortcutsLive(state)) return;
    if (input === ':') dispatch({ type: 'focus', focus: 'command' });
    else if (input === '/') dispatch({ type: 'focus', focus: 'filter' });
    else if (input === '?') dispatch({ type: 'focus', focus: 'help' });
    else if (input === 'q') quit();
    else if (input === 's') dispatch({ type: 'show', main: { kind: 'sql' } });
    else if (input === 'T') dispatch({ type: 'show', main: { kind: 'transcript' } });
    else if (key.tab && !key.shift) dispatch({ type: 'focus', focus: state.focus === 'nav' ? 'main' : 'nav' });
    else if (key.escape && state.focus === 'main') dispatch({ type: 'focus', focus: 'nav' });
  });
}
