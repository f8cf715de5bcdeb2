import { useMemo, useRef, useState, type Dispatch } from 'react';
import { LhctlError } from '../../core/errors.js';
import type { CommandUi } from '../../commands/command.js';
import type { ActionRecord, ConsoleSession, RunIo, RunResult } from '../../session/session.js';
import type { ConsoleAction } from '../model/consoleState.js';
import { ResultModel } from '../model/resultModel.js';

/** How the console starts actions: every one goes through the session, so it is shown and audited. */
export interface Actions {
  /** `lhctl <name> <argv…>` for the current env; the returned model fills as data streams in. */
  command(name: string, argv: string[]): ResultModel;
  /** A typed line such as `history gold.dim_customer` (no leading `:`). */
  line(line: string): ResultModel;
  /** SQL text, run by the `sql` command. */
  sql(text: string): ResultModel;
  /** Cancels every running action; false when nothing was running. */
  cancel(): boolean;
  running: number;
}

export function errorText(error: unknown): string {
  if (error instanceof LhctlError) return error.hint ? `${error.message} — ${error.hint}` : error.message;
  return (error as Error)?.message ?? String(error);
}

/** The console's CommandUi: progress and warnings on the status line, confirmations in a dialog. */
export function consoleUi(dispatch: Dispatch<ConsoleAction>): CommandUi {
  return {
    progress: (text) => dispatch({ type: 'status', status: { text, tone: 'info' } }),
    warn: (text) => dispatch({ type: 'status', status: { text, tone: 'warn' } }),
    confirm: (question, expected) =>
      new Promise<boolean>((resolve) => {
        dispatch({
          type: 'confirm',
          confirm: {
            question,
            expected,
            answer: (typed) => {
              dispatch({ type: 'confirm', confirm: undefined });
              resolve(typed !== undefined && typed.trim() === expected);
            },
          },
        });
      }),
  };
}

export function useActions(session: ConsoleSession, dispatch: Dispatch<ConsoleAction>): Actions {
  const controllers = useRef(new Set<AbortController>());
  const [running, setRunning] = useState(0);

  return useMemo(() => {
    const shared = consoleUi(dispatch);
    const start = (label: string, run: (model: ResultModel, io: RunIo) => Promise<RunResult<ResultModel>>): ResultModel => {
      const model = new ResultModel(label);
      // Progress goes to the status line and to the action's own model (a run's live task states).
      const ui: CommandUi = {
        ...shared,
        progress: (text) => {
          model.progress.push(text);
          model.notify();
          shared.progress(text);
        },
      };
      const controller = new AbortController();
      controllers.current.add(controller);
      setRunning(controllers.current.size);
      dispatch({ type: 'status', status: undefined });
      const onRecord = (record: ActionRecord): void => {
        model.record = record;
        model.notify();
      };
      run(model, { ui, signal: controller.signal, onRecord })
        .then(
          () => undefined,
          (error: unknown) => {
            model.error ??= error;
            model.done = true;
            const cancelled = controller.signal.aborted;
            dispatch({ type: 'status', status: { text: cancelled ? 'cancelled — the console is still yours' : errorText(error), tone: cancelled ? 'warn' : 'error' } });
          },
        )
        .finally(() => {
          controllers.current.delete(controller);
          setRunning(controllers.current.size);
          model.notify();
        });
      return model;
    };
    return {
      command: (name, argv) => start(`${name} ${argv.join(' ')}`.trim(), (model, io) => session.run(name, argv, io, model.consumer(io.signal))),
      line: (line) => start(line, (model, io) => session.runLine(line, io, model.consumer(io.signal))),
      sql: (text) => start(text, (model, io) => session.runSql(text, io, model.consumer(io.signal))),
      cancel: () => {
        if (controllers.current.size === 0) return false;
        for (const c of controllers.current) c.abort();
        return true;
      },
      running,
    };
  }, [session, dispatch, running]);
}
