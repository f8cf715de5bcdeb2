import { useCallback } from 'react';
import { appendAudit } from '../../commands/audit.js';
import { shellQuote, tokenize } from '../../session/commandLine.js';
import { useConsole } from '../contexts/ConsoleContext.js';
import { useSession } from '../contexts/SessionContext.js';
import { exportResult } from '../model/exportResult.js';
import { errorText } from './useActions.js';

/**
 * What a `:` line does in the console. Commands run through the session like anywhere else; the
 * router shows their data where the command asks (`presentation.view`: a table tab, the run graph,
 * the status line, or the result grid). Only the console's own words (quit, transcript, export) are known here by name.
 */
export function useCommandRouter(cwd: string): (line: string) => void {
  const { session, history } = useSession();
  const { state, dispatch, actions, quit } = useConsole();
  return useCallback(
    (typed: string) => {
      const line = typed.replace(/^:/, '').trim();
      if (!line) return;
      history(session.state.env).add(`:${line}`);
      let words: string[];
      try {
        words = tokenize(line);
      } catch (error) {
        return dispatch({ type: 'status', status: { text: errorText(error), tone: 'error' } });
      }
      const [name = '', ...rest] = words;
      if (name === 'q' || name === 'quit') return quit();
      if (name === 'transcript' || name === 'log') return dispatch({ type: 'show', main: { kind: 'transcript' } });
      if (name === 'sql' && rest.length === 0) return dispatch({ type: 'show', main: { kind: 'sql' } });
      if (name === 'export') {
        const model = state.shown;
        const [format = '', file = ''] = rest;
        if (!model || !file) return dispatch({ type: 'status', status: { text: model ? 'usage: :export csv|json <file>' : 'nothing on screen to export', tone: 'warn' } });
        void exportResult(model, format, file, cwd).then(
          ({ rows, path, complete }) => {
            const command = `${model.record?.command ?? 'lhctl sql …'} --output ${format} > ${shellQuote(path)}`;
            appendAudit(session.settings.home, { env: session.state.env, source: 'console', command, sql: [], outcome: 'ok', duration_ms: 0 });
            dispatch({ type: 'status', status: { text: `exported ${rows} rows${complete ? '' : ' (loaded so far)'} to ${path} — same as: ${command}`, tone: 'info' } });
          },
          (error: unknown) => dispatch({ type: 'status', status: { text: errorText(error), tone: 'error' } }),
        );
        return;
      }
      const view = session.viewOf(line);
      if (view.kind === 'table') return dispatch({ type: 'show', main: { kind: 'table', table: view.table, tab: view.tab } });
      if (view.kind === 'run') return dispatch({ type: 'show', main: { kind: 'run', job: view.job, model: actions.line(line) } });
      const model = actions.line(line);
      // `env <name>` is the session's own word (a switch): one line, like the commands that ask for the status line.
      if (view.kind === 'status' || (name === 'env' && rest.length > 0 && !['list', 'show', 'use'].includes(rest[0]!))) {
        const off = model.subscribe(() => {
          if (!model.done) return;
          off();
          const text = model.parts
            .map((p) =>
              p.kind === 'message'
                ? p.text
                : p.kind === 'record'
                  ? `${p.title ?? ''} ${Object.entries(p.data)
                      .map(([k, v]) => `${k}=${String(v)}`)
                      .join(' ')}`
                  : '',
            )
            .join(' ')
            .trim();
          if (text && !model.error) dispatch({ type: 'status', status: { text, tone: 'info' } });
          if (model.parts.some((p) => p.kind === 'table')) dispatch({ type: 'show', main: { kind: 'result', model } });
        });
        return;
      }
      dispatch({ type: 'show', main: { kind: 'result', model } });
    },
    [session, history, state.shown, dispatch, actions, quit, cwd],
  );
}
