import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// bench/run.mjs runs every benchmark from the repository root.
export const REPO = resolve(process.cwd());
export const CLI = join(REPO, 'dist', 'cli.js');
/** Benchmarks use the test suite's engine home so they never touch ~/.lhctl. */
export const HOME = process.env['LHCTL_HOME'] ?? join(REPO, 'test', '.work', 'home');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a command under /usr/bin/time; wall seconds and peak RSS in MB. */
export function timed(command: string[], env: NodeJS.ProcessEnv = {}): { seconds: number; peakMb: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '__RSS_KB=%M', ...command], {
    env: { ...process.env, LHCTL_HOME: HOME, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const kb = Number(/__RSS_KB=(\d+)/.exec(result.stderr)?.[1] ?? 0);
  return { seconds, peakMb: kb / 1024, stdout: result.stdout };
}

export function serverPort(): number {
  return (JSON.parse(readFileSync(join(HOME, 'local', 'server.json'), 'utf8')) as { port: number }).port;
}

export function token(): string {
  return readFileSync(join(HOME, 'runtime', 'token'), 'utf8').trim();
}

export function row(label: string, value: string, goal: string, ok: boolean): string {
  return `${label.padEnd(58)} ${value.padStart(22)}   goal ${goal.padEnd(10)} ${ok ? 'met' : 'NOT met'}`;
}
