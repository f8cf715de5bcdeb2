import type { MainView } from '../model/consoleState.js';
import { ResultView } from './ResultView.js';
import { RunView } from './RunView.js';
import { TableView } from './TableView.js';
import { TranscriptView } from './TranscriptView.js';
import { WelcomeView } from './WelcomeView.js';

/** The view for what the main pane shows (the SQL pane stays mounted separately to keep its text). */
export function MainPane({ main, width, height, active }: { main: MainView; width: number; height: number; active: boolean }) {
  switch (main.kind) {
    case 'welcome':
    case 'sql':
      return main.kind === 'welcome' ? <WelcomeView width={width} height={height} /> : null;
    case 'table':
      return <TableView table={main.table} tab={main.tab} width={width} height={height} active={active} />;
    case 'run':
      return <RunView job={main.job} model={main.model} width={width} height={height} active={active} />;
    case 'result':
      return <ResultView model={main.model} width={width} height={height} active={active} />;
    case 'transcript':
      return <TranscriptView width={width} height={height} />;
  }
}
