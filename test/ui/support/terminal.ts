import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

/** A fake terminal of a fixed size that keeps the last frame Ink drew; resizable like a real one. */
class Screen extends EventEmitter {
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  readonly isTTY = true;
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class Keyboard extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  write(data: string): void {
    this.pending = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageDown: '\x1b[6~',
  ctrlC: '\x03',
  ctrlR: '\x12',
  backspace: '\x7f',
} as const;

export interface Terminal {
  lastFrame(): string;
  /** Types text one key at a time, as a person would, letting Ink handle each key. */
  type(text: string): Promise<void>;
  press(key: string): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  /** Waits until the frame satisfies `check` (default 90 s: the engine may be busy with another group of tests). */
  waitFor(check: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  unmount(): void;
}

const tick = (ms = 15): Promise<void> => new Promise((r) => setTimeout(r, ms));
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Renders `tree` on a `columns`×`rows` terminal; frames are returned without colour codes. */
export function renderAt(tree: ReactElement, size: { columns: number; rows: number } = { columns: 80, rows: 24 }): Terminal {
  const stdout = new Screen(size.columns, size.rows);
  const stdin = new Keyboard();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: new Screen(size.columns, size.rows) as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const lastFrame = (): string => (stdout.frames[stdout.frames.length - 1] ?? '').replace(ANSI, '');
  return {
    lastFrame,
    async type(text) {
      for (const ch of text) {
        stdin.write(ch);
        await tick();
      }
    },
    async press(key) {
      stdin.write(key);
      await tick(30);
    },
    async resize(columns, rows) {
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
      await tick(50);
    },
    async waitFor(check, timeoutMs = 90_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (check(lastFrame())) return lastFrame();
        await tick(25);
      }
      throw new Error(`frame never matched; last frame:\n${lastFrame()}`);
    },
    unmount: () => instance.unmount(),
  };
}
