import { Box, Text } from 'ink';

export const KEYS: [string, string][] = [
  ['Tab', 'switch focus: navigator ↔ main pane'],
  ['↑↓ j k, PgUp PgDn', 'move; g/G first/last row'],
  ['Enter → / ←', 'open or expand / collapse'],
  ['← → h l (grid)', 'scroll columns'],
  [':', 'command line, e.g. :env qa  :history gold.dim_customer  :run transform  :arm'],
  ['/', 'filter the navigator'],
  ['s', 'SQL pane (Enter runs a statement ending in ;, Ctrl-R runs, Tab completes)'],
  ['1-5  [ ]', 'table tabs: schema history data cdf diff / previous-next result'],
  ['f t (history)', 'pick the from / to version for cdf and diff'],
  ['T', 'transcript: every action, its lhctl command and SQL'],
  [':export csv|json <file>', 'save the result on screen'],
  ['Ctrl-C', 'cancel the running statement (the console stays)'],
  ['Esc', 'close, back to the previous focus'],
  ['?  q', 'this help  /  quit'],
];

/** The `?` overlay: every key, so the whole console is usable from the keyboard alone. */
export function KeysHelp({ width, height }: { width: number; height: number }) {
  const keyWidth = Math.max(...KEYS.map(([k]) => k.length)) + 2;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1}>
      <Text bold>Keys (Esc closes)</Text>
      {KEYS.slice(0, Math.max(0, height - 3)).map(([key, what]) => (
        <Text key={key} wrap="truncate">
          <Text color="cyan">{key.padEnd(keyWidth)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
