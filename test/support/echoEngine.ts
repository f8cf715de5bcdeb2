import type { ResultStream } from '../../src/core/types.js';
import { NO_CAPABILITIES, type SqlEngine } from '../../src/engines/engine.js';

/** An engine that answers every statement with one row naming it. */
export function echoEngine(): SqlEngine & { seen: string[] } {
  const seen: string[] = [];
  return {
    kind: 'local',
    capabilities: NO_CAPABILITIES,
    seen,
    async execute(sql): Promise<ResultStream> {
      seen.push(sql);
      return {
        columns: [{ name: 'statement', type: 'string', nullable: false }],
        async *[Symbol.asyncIterator]() {
          yield [[sql]];
        },
      };
    },
    cancel: async () => undefined,
    close: async () => undefined,
  };
}
