import { Box, Text } from 'ink';

/** What the main pane shows before anything is opened. */
export function WelcomeView({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold>lhctl console</Text>
      <Text> </Text>
      <Text wrap="wrap">Open a table from the navigator (Enter), or a job to see its task graph.</Text>
      <Text wrap="wrap">s opens the SQL pane; : runs any command, e.g. :history gold.dim_customer</Text>
      <Text wrap="wrap">Every action shows its one-shot lhctl command below and goes to the audit log.</Text>
      <Text> </Text>
      <Text dimColor>? keys · Tab switch pane · q quit</Text>
    </Box>
  );
}
