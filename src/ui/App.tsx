import { useWindowSize } from 'ink';
import { ConsoleLayout } from './views/ConsoleLayout.js';

/** Picks the layout for the terminal's size; redraws on resize. */
export function App({ cwd }: { cwd: string }) {
  const { columns, rows } = useWindowSize();
  return <ConsoleLayout columns={columns} rows={rows} navigator={columns >= 70 ? 'side' : 'focus'} cwd={cwd} />;
}
