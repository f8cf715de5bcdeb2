import type { ExecuteOptions, SqlEngine } from '../engines/engine.js';

/**
 * The engine as one console action sees it: every statement is reported before it runs, so the
 * transcript and the audit log show the SQL behind each action, whichever command sent it.
 * A Proxy keeps the engine's own type and extra methods intact for commands that use them.
 */
export function recordingEngine<E extends SqlEngine>(engine: E, onStatement: (sql: string) => void, ownsClose = false): E {
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'execute') {
        return (sql: string, options?: ExecuteOptions) => {
          onStatement(sql);
          return target.execute(sql, options);
        };
      }
      // A session opened through the recorder is recorded too, and closed by whoever opened it.
      if (property === 'separateSession' && target.separateSession) {
        return async () => recordingEngine(await target.separateSession!(), onStatement, true);
      }
      // Otherwise the console session owns the connection and closes it when the console exits.
      if (property === 'close' && !ownsClose) return async () => undefined;
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
