import type { ResultModel } from './resultModel.js';

export type Focus = 'nav' | 'main' | 'command' | 'filter' | 'help' | 'confirm';
export const TABLE_TABS = ['schema', 'history', 'data', 'cdf', 'diff'] as const;
export type TableTab = (typeof TABLE_TABS)[number];

export type MainView =
  | { kind: 'welcome' }
  | { kind: 'table'; table: string; tab: TableTab }
  | { kind: 'run'; job: string; model: ResultModel | undefined }
  | { kind: 'sql' }
  | { kind: 'result'; model: ResultModel }
  | { kind: 'transcript' };

export interface StatusMessage {
  text: string;
  tone: 'info' | 'warn' | 'error';
}

export interface Confirmation {
  question: string;
  expected: string;
  answer: (typed: string | undefined) => void;
}

export interface ConsoleState {
  focus: Focus;
  /** Where focus returns when the command line, filter or an overlay closes. */
  back: Focus;
  main: MainView;
  filter: string;
  status: StatusMessage | undefined;
  confirm: Confirmation | undefined;
  /** A view is taking text (the SQL editor): single-key shortcuts are off. */
  typing: boolean;
  /** The result on screen, for `:export`. */
  shown: ResultModel | undefined;
}

export const INITIAL_STATE: ConsoleState = {
  focus: 'nav',
  back: 'nav',
  main: { kind: 'welcome' },
  filter: '',
  status: undefined,
  confirm: undefined,
  typing: false,
  shown: undefined,
};

export type ConsoleAction =
  | { type: 'focus'; focus: Focus }
  | { type: 'close' }
  | { type: 'show'; main: MainView; focus?: Focus }
  | { type: 'filter'; filter: string }
  | { type: 'status'; status: StatusMessage | undefined }
  | { type: 'confirm'; confirm: Confirmation | undefined }
  | { type: 'typing'; typing: boolean }
  | { type: 'shown'; model: ResultModel | undefined };

const OVERLAYS: readonly Focus[] = ['command', 'filter', 'help', 'confirm'];

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'focus':
      if (state.focus === action.focus) return state;
      return { ...state, focus: action.focus, back: OVERLAYS.includes(state.focus) ? state.back : state.focus };
    case 'close':
      return { ...state, focus: state.back };
    case 'show':
      return { ...state, main: action.main, focus: action.focus ?? 'main', back: action.focus ?? 'main', typing: action.main.kind === 'sql' && state.typing };
    case 'filter':
      return { ...state, filter: action.filter };
    case 'status':
      return { ...state, status: action.status };
    case 'confirm':
      return action.confirm
        ? { ...state, confirm: action.confirm, focus: 'confirm', back: OVERLAYS.includes(state.focus) ? state.back : state.focus }
        : { ...state, confirm: undefined, focus: state.back };
    case 'shown':
      return state.shown === action.model ? state : { ...state, shown: action.model };
    case 'typing':
      return state.typing === action.typing ? state : { ...state, typing: action.typing };
  }
}

/** Single-key shortcuts (q, :, /, ?) are live only when no text is being typed. */
export function shortcutsLive(state: ConsoleState): boolean {
  if (OVERLAYS.includes(state.focus)) return false;
  return !(state.focus === 'main' && state.typing);
}
