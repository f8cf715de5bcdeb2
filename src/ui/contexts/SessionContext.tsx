import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { SessionCatalog } from '../../session/catalog.js';
import type { InputHistory } from '../../session/history.js';
import type { ConsoleSession, SessionState } from '../../session/session.js';

export interface SessionValue {
  session: ConsoleSession;
  catalog: SessionCatalog;
  /** What was typed in an env (SQL, and `:` lines with their colon), persisted per env. */
  history: (env: string) => InputHistory;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ value, children }: { value: SessionValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The session's env, engine and arming state; re-renders when any of them changes. */
export function useSessionState(): SessionState {
  const { session } = useSession();
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.state,
  );
}
