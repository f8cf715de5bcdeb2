// Issue "Console" benchmarks, measured side by side in one run:
//  1. cold start to first frame of the full-screen console, in a real pseudo-terminal (goal <= 400 ms)
//  2. keypress to redrawn frame while a 100k-row result is on screen (goal <= 50 ms),
//     next to the same keypress over a 100-row result
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink';
import { createElement } from 'react';
import type { ResultStream, Row } from '../src/core/types.js';
import { NO_CAPABILITIES, type SqlEngine } from '../src/engines/engine.js';
import { readSettings } from '../src/profiles/settings.js';
import { ConsoleSession } from '../src/session/session.js';
import { ConsoleRoot, sessionValue } from '../src/ui/runConsole.js';
import { CLI, HOME, REPO, median, row } from './support.js';

const node = process.execPath;
await main();

/** bench/consoleEntry.ts bundled as dist/ is (code splitting), for when `lhctl` does not open the console yet. */
async function consoleEntry(): Promise<string> {
  const outdir = join(REPO, 'bench', '.out', 'console-entry');
  await build({
    entryPoints: { console: join(REPO, 'bench', 'consoleEntry.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    jsx: 'automatic',
    logLevel: 'warning',
  });
  return join(outdir, 'console.js');
}

/** Spawns `command` in a pseudo-terminal (util-linux `script`) and times the first frame that shows the navigator. */
function firstFrameMs(command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      env: { ...process.env, LHCTL_HOME: HOME, COLUMNS: '80', LINES: '24', TERM: 'xterm-256color' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let seen = '';
    child.stdin.on('error', () => undefined);
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('ENVIRONMENTS')) {
        const ms = performance.now() - started;
        if (!child.stdin.destroyed) child.stdin.write('q');
        setTimeout(() => child.kill('SIGKILL'), 500);
        resolve(ms);
      }
    });
    child.on('error', reject);
    setTimeout(() => reject(new Error('no first frame in 15 s')), 15_000);
  });
}

/** An engine that streams `count` synthetic rows from memory, so the UI's cost is what is measured. */
function memoryEngine(count: number): SqlEngine {
  const columns = ['id', 'customer', 'city', 'amount', 'day', 'segment', 'note'].map((name) => ({ name, type: 'string', nullable: true }));
  return {
    kind: 'local',
    capabilities: NO_CAPABILITIES,
    async execute(): Promise<ResultStream> {
      return {
        columns,
        async *[Symbol.asyncIterator](): AsyncGenerator<Row[]> {
          for (let i = 0; i < count; i += 4096) {
            yield Array.from({ length: Math.min(4096, count - i) }, (_, j) => [BigInt(i + j), `customer-${i + j}`, 'Oslo', `${(i + j) * 1.5}`, '2024-01-01', 'retail', 'x'.repeat((i + j) % 40)]);
          }
        },
      };
    },
    cancel: async () => undefined,
    close: async () => undefined,
  };
}

/** Keypress → next frame written, in ms, over the SQL grid showing a result of `count` rows. */
async function keypressMs(count: number, presses: number): Promise<number[]> {
  const stdout = Object.assign(new EventEmitter(), { columns: 80, rows: 24, isTTY: true, write: (_: string) => true });
  let pending: string | null = null;
  const read = (): string | null => {
    const data = pending;
    pending = null;
    return data;
  };
  const stdin = Object.assign(new EventEmitter(), { isTTY: true, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read });
  const key = (data: string): void => {
    pending = data;
    stdin.emit('readable');
  };
  const settings = readSettings({ ...process.env, LHCTL_HOME: mkdtempSync(join(tmpdir(), 'lhctl-bench-')) });
  const session = new ConsoleSession({ settings, source: 'console', openEngine: async () => memoryEngine(count) });
  let frames = 0;
  stdout.write = () => {
    frames++;
    return true;
  };
  const app = render(createElement(ConsoleRoot, { value: sessionValue(session), quit: () => undefined, cwd: REPO }), {
    stdout: stdout as never,
    stdin: stdin as never,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  await settle(300);
  key('s');
  await settle(100);
  for (const ch of 'select * from big;') {
    key(ch);
    await settle(2);
  }
  key('\r');
  while (session.transcript.at(-1)?.outcome !== 'ok') await settle(20);
  await settle(300);
  key('\x1b'); // to the grid
  await settle(100);
  const samples: number[] = [];
  for (let i = 0; i < presses; i++) {
    const before = frames;
    const t = performance.now();
    key(i % 10 === 9 ? '\x1b[6~' : 'j'); // mostly one row down, now and then a page
    while (frames === before && performance.now() - t < 1000) await new Promise((r) => setImmediate(r));
    samples.push(performance.now() - t);
    await settle(40); // past Ink's frame throttle, as keys typed by a person are
  }
  app.unmount();
  await session.close();
  return samples;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const wired = readFileSync(CLI, 'utf8').includes('runConsole') || readFileSync(join(REPO, 'src', 'cliMain.ts'), 'utf8').includes('runConsole');
  const command = wired ? `${node} ${CLI}` : `${node} ${await consoleEntry()}`;
  await firstFrameMs(command); // warm the compile cache and the page cache
  const cold = median(await sequential(5, () => firstFrameMs(command)));
  const bare = median(await sequential(5, () => firstFrameMs(`${node} -e "process.stdout.write('ENVIRONMENTS')"`)));
  lines.push(row(`console cold start to first frame (${wired ? 'lhctl' : 'bench/consoleEntry.ts'}, median of 5)`, `${cold.toFixed(0)} ms`, '<= 400 ms', cold <= 400));
  lines.push(row('  node printing one line in the same pty, for reference', `${bare.toFixed(0)} ms`, '', true));

  const big = await keypressMs(100_000, 60);
  const small = await keypressMs(100, 60);
  const p95 = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length * 0.95)]!;
  lines.push(row('keypress to redrawn frame, 100k-row result (median)', `${median(big).toFixed(1)} ms`, '<= 50 ms', median(big) <= 50));
  lines.push(row('  p95', `${p95(big).toFixed(1)} ms`, '<= 50 ms', p95(big) <= 50));
  lines.push(row('  same keys over a 100-row result (median)', `${median(small).toFixed(1)} ms`, '', true));
  lines.push(row('  ratio 100k / 100 rows', `${(median(big) / median(small)).toFixed(2)}x`, '', true));
  console.log(lines.join('\n'));
}

async function sequential(n: number, f: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await f());
  return out;
}
