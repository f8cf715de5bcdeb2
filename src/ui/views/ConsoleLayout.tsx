import { Box } from 'ink';
import { useMemo } from 'react';
import { completeCommand } from '../../session/completion.js';
import { CommandLine } from '../components/CommandLine.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Header } from '../components/Header.js';
import { KeysHelp } from '../components/KeysHelp.js';
import { Navigator } from '../components/Navigator.js';
import { StatusLine } from '../components/StatusLine.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSession, useSessionState } from '../contexts/SessionContext.js';
import { useCommandRouter } from '../hooks/useCommandRouter.js';
import { useGlobalKeys } from '../hooks/useGlobalKeys.js';
import { useNavigator } from '../hooks/useNavigator.js';
import { useVersion } from '../hooks/useVersion.js';
import { MainPane } from './MainPane.js';
import { SqlPane } from './SqlPane.js';

export interface ConsoleLayoutProps {
  columns: number;
  rows: number;
  /** `side`: navigator always shown; `focus`: shown only while it has the focus (narrow terminals). */
  navigator: 'side' | 'focus';
  cwd: string;
}

const HINT = 'Tab pane · Enter open · : command · / filter · s sql · T transcript · ? keys · q quit';

/** Header, navigator + main pane, status (the last action's lhctl command) and the command line. */
export function ConsoleLayout({ columns, rows, navigator, cwd }: ConsoleLayoutProps) {
  const { session, catalog, history } = useSession();
  const sessionState = useSessionState();
  const { state, dispatch, actions } = useConsole();
  useVersion(session);
  useGlobalKeys();
  const submit = useCommandRouter(cwd);
  const nav = useNavigator(state.focus === 'nav');
  const record = session.transcript[session.transcript.length - 1];

  const headerHeight = sessionState.profile.protected ? 2 : 1;
  const bodyHeight = Math.max(4, rows - headerHeight - 3);
  const showNav = navigator === 'side' || state.focus === 'nav';
  const navWidth = navigator === 'side' ? Math.min(28, Math.max(18, Math.floor(columns * 0.28))) : columns;
  const mainWidth = showNav ? columns - navWidth - 1 : columns;
  const mainActive = state.focus === 'main';
  const lineMode = state.focus === 'command' ? 'command' : state.focus === 'filter' ? 'filter' : 'idle';
  const commandHistory = useMemo(
    () =>
      history(sessionState.env)
        .all.filter((e) => e.startsWith(':'))
        .map((e) => e.slice(1)),
    [history, sessionState.env, state.focus],
  );

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Box height={headerHeight} overflow="hidden">
        <Header state={sessionState} width={columns} running={actions.running} />
      </Box>
      <Box height={bodyHeight} width={columns} overflow="hidden">
        {showNav ? <Navigator items={nav.items} cursor={nav.cursor} width={navWidth} height={bodyHeight} active={state.focus === 'nav'} filter={state.filter} /> : null}
        <Box flexDirection="column" width={mainWidth} height={bodyHeight} marginLeft={showNav ? 1 : 0} display={showNav && navigator === 'focus' ? 'none' : 'flex'}>
          {state.focus === 'help' ? (
            <KeysHelp width={mainWidth} height={bodyHeight} />
          ) : state.confirm ? (
            <ConfirmDialog confirm={state.confirm} width={mainWidth} />
          ) : (
            <>
              <SqlPane width={mainWidth} height={bodyHeight} visible={state.main.kind === 'sql'} active={mainActive} />
              <MainPane main={state.main} width={mainWidth} height={bodyHeight} active={mainActive} />
            </>
          )}
        </Box>
      </Box>
      <Box height={2} overflow="hidden">
        <StatusLine record={record} status={state.status} width={columns} />
      </Box>
      <Box height={1} overflow="hidden">
        <CommandLine
          mode={lineMode}
          width={columns}
          hint={HINT}
          history={commandHistory}
          complete={(text, cursor) => completeCommand(text, cursor, session.commandWords(), catalog)}
          onChange={(text) => (lineMode === 'filter' ? dispatch({ type: 'filter', filter: text }) : undefined)}
          onSubmit={(text) => {
            dispatch({ type: 'close' });
            if (lineMode === 'command') submit(text);
          }}
          onCancel={() => {
            if (lineMode === 'filter') dispatch({ type: 'filter', filter: '' });
            dispatch({ type: 'close' });
          }}
        />
      </Box>
    </Box>
  );
}
