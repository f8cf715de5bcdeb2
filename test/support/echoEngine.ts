import type { Column, ResultStream, Row } from '../../src/core/types.js';
import { NO_CAPABILITIES, type SqlEngine } from '../../src/engines/engine.js';

/** An engine that answers each statement as `answer` says and records every statement it was sent. */
export function scriptedEngine(answer: (sql: string) => { columns: Column[]; rows: Row[] }): SqlEngine & { seen: string[] } {
  const seen: string[] = [];
  return {
    kind: 'local',
    capabilities: NO_CAPABILITIES,
    seen,
    async execute(sql): Promise<ResultStream> {
      seen.push(sql);
      const { columns, rows } = answer(sql);
      return {
        columns,
        async *[Symbol.asyncIterator]() {
          if (rows.length > 0) yield rows;
        },
      };
    },
    cancel: async () => undefined,
    close: async () => undefined,
  };
}

/** An engine that answers every statement with one row naming it. */
export function echoEngine(): SqlEngine & { seen: string[] } {
  return scriptedEngine((sql) => ({ columns: [{ name: 'statement', type: 'string', nullable: false }], rows: [[sql]] }));
}
