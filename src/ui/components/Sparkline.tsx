import { Text } from 'ink';

const BARS = '▁▂▃▄▅▆▇█';

/** One bar per value, scaled to the largest; zero and missing values are the lowest bar. */
export function sparkline(values: readonly (number | undefined)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values
    .map((v) => {
      if (!v || max === 0) return v === undefined ? ' ' : BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.max(1, Math.round((v / max) * (BARS.length - 1))))];
    })
    .join('');
}

export function Sparkline({ values, width, label }: { values: readonly (number | undefined)[]; width: number; label: string }) {
  const room = Math.max(1, width - label.length - 1);
  const shown = values.slice(-room);
  return (
    <Text wrap="truncate">
      <Text dimColor>{label} </Text>
      <Text color="green">{sparkline(shown)}</Text>
    </Text>
  );
}
