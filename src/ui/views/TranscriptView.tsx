import { Box, Text } from 'ink';
import { useSession } from '../contexts/SessionContext.js';
import { useVersion } from '../hooks/useVersion.js';

/** Every action of this session, newest last: its one-shot command, outcome and the SQL it ran. */
export function TranscriptView({ width, height }: { width: number; height: number }) {
  const { session } = useSession();
  useVersion(session);
  const lines: { text: string; kind: 'command' | 'sql' | 'error' }[] = [];
  for (const r of session.transcript) {
    const when = r.time.toISOString().slice(11, 19);
    lines.push({ text: `${when} ${r.outcome ?? 'running'} ${r.durationMs !== undefined ? `${r.durationMs}ms ` : ''}$ ${r.command}`, kind: 'command' });
    for (const sql of r.sql) lines.push({ text: `         sql: ${sql.replace(/\s+/g, ' ')}`, kind: 'sql' });
    if (r.error) lines.push({ text: `         ${r.error}`, kind: 'error' });
  }
  const shown = lines.slice(-(height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>transcript — also appended to $LHCTL_HOME/audit.jsonl</Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" color={l.kind === 'error' ? 'red' : l.kind === 'command' ? 'cyan' : undefined} dimColor={l.kind === 'sql'}>
          {l.text}
        </Text>
      ))}
    </Box>
  );
}
