import { createContext, useContext, useMemo, useReducer, type Dispatch, type ReactNode } from 'react';
import { useActions, type Actions } from '../hooks/useActions.js';
import { consoleReducer, INITIAL_STATE, type ConsoleAction, type ConsoleState } from '../model/consoleState.js';
import { useSession } from './SessionContext.js';

export interface ConsoleValue {
  state: ConsoleState;
  dispatch: Dispatch<ConsoleAction>;
  actions: Actions;
  /** Leave the console. */
  quit: () => void;
}

const ConsoleContext = createContext<ConsoleValue | undefined>(undefined);

export function ConsoleProvider({ children, quit, initial }: { children: ReactNode; quit: () => void; initial?: Partial<ConsoleState> }) {
  const { session } = useSession();
  const [state, dispatch] = useReducer(consoleReducer, { ...INITIAL_STATE, ...initial });
  const actions = useActions(session, dispatch);
  const value = useMemo(() => ({ state, dispatch, actions, quit }), [state, actions, quit]);
  return <ConsoleContext.Provider value={value}>{children}</ConsoleContext.Provider>;
}

export function useConsole(): ConsoleValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside ConsoleProvider');
  return value;
}
