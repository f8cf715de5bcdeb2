import { Box, Text } from 'ink';
import type { EngineState, SessionState } from '../../session/session.js';

const ENGINE_LOOK: Record<EngineState, { mark: string; color: string }> = {
  unknown: { mark: '○', color: 'gray' },
  stopped: { mark: '○', color: 'gray' },
  starting: { mark: '◐', color: 'yellow' },
  running: { mark: '●', color: 'green' },
  remote: { mark: '○', color: 'cyan' },
  connected: { mark: '●', color: 'cyan' },
  error: { mark: '✗', color: 'red' },
};

function clock(date: Date): string {
  return date.toISOString().slice(11, 16) + 'Z';
}

/** Env, engine state and — for a protected env — a red read-only banner or the armed window. */
export function Header({ state, width, running }: { state: SessionState; width: number; running: number }) {
  const { env, profile, engine, armedUntil } = state;
  const look = ENGINE_LOOK[engine];
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Box flexShrink={1}>
          <Text wrap="truncate">
            <Text bold color="cyan">
              lhctl{' '}
            </Text>
            <Text>env </Text>
            <Text bold>{env}</Text>
            <Text dimColor> ({profile.engine}) </Text>
            <Text>engine </Text>
            <Text color={look.color}>
              {look.mark} {engine}
            </Text>
            {running > 0 ? <Text color="yellow">{`  ⟳ ${running} running, Ctrl-C cancels`}</Text> : null}
          </Text>
        </Box>
        <Box flexGrow={1} />
        <Box flexShrink={0}>
          <Text dimColor>{width >= 60 ? ' ? keys · q quit' : ' ?'}</Text>
        </Box>
      </Box>
      {profile.protected ? (
        armedUntil ? (
          <Text backgroundColor="yellow" color="black" wrap="truncate">
            {` ${env.toUpperCase()} ARMED until ${clock(armedUntil)} — writes allowed; :disarm to end `.padEnd(width)}
          </Text>
        ) : (
          <Text backgroundColor="red" color="white" bold wrap="truncate">
            {` ${env.toUpperCase()} — PROTECTED, READ-ONLY · :arm opens a 10-minute write window `.padEnd(width)}
          </Text>
        )
      ) : null}
    </Box>
  );
}
