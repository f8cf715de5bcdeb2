import { Box, Text } from 'ink';
import type { ActionRecord } from '../../session/session.js';
import type { StatusMessage } from '../model/consoleState.js';

const OUTCOME: Record<string, { mark: string; color: string }> = {
  ok: { mark: '✓', color: 'green' },
  failed: { mark: '✗', color: 'red' },
  cancelled: { mark: '◼', color: 'yellow' },
  refused: { mark: '⛔', color: 'red' },
};

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Two lines: the last action as its one-shot `lhctl …` command, then its SQL or the latest message. */
export function StatusLine({ record, status, width }: { record: ActionRecord | undefined; status: StatusMessage | undefined; width: number }) {
  const outcome = record?.outcome ? OUTCOME[record.outcome] : undefined;
  const sql = record?.sql[record.sql.length - 1]?.replace(/\s+/g, ' ');
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text dimColor>$ </Text>
        {record ? <Text color="cyan">{record.command}</Text> : <Text dimColor>every action shows its lhctl command here</Text>}
        {record && !record.outcome ? <Text color="yellow"> …running</Text> : null}
        {outcome ? (
          <Text color={outcome.color}>
            {' '}
            {outcome.mark} {seconds(record?.durationMs)}
          </Text>
        ) : null}
      </Text>
      {status ? (
        <Text wrap="truncate-end" color={status.tone === 'error' ? 'red' : status.tone === 'warn' ? 'yellow' : undefined} dimColor={status.tone === 'info'}>
          {status.text}
        </Text>
      ) : (
        <Text wrap="truncate-end" dimColor>
          {sql ? `sql: ${sql}${record && record.sql.length > 1 ? ` (+${record.sql.length - 1} more, :transcript)` : ''}` : ' '}
        </Text>
      )}
    </Box>
  );
}
