import { Box, Text } from 'ink';

/** A row of tab names; unavailable ones are dimmed with the reason on the selected tab. */
export function Tabs<T extends string>({ tabs, current, disabled = {} }: { tabs: readonly T[]; current: T; disabled?: Partial<Record<T, string>> }) {
  return (
    <Box>
      {tabs.map((tab, i) => (
        <Text key={tab} inverse={tab === current} dimColor={disabled[tab] !== undefined && tab !== current}>
          {` ${i + 1} ${tab} `}
        </Text>
      ))}
    </Box>
  );
}
