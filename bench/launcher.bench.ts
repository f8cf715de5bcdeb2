// Issue 14 "launcher" benchmark: `./lhctl --help` (the checkout's launcher: bash checks, then Node
// once) against `node dist/cli.js --help`, alternated in one run so both see the same machine load.
// Goal: the launcher costs at most 1.5x the bare CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CLI, HOME, REPO, median, row } from './support.js';

const ROUNDS = 21;
const GOAL = 1.5;

function wallMs(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: REPO, env: { ...process.env, LHCTL_HOME: HOME, NO_COLOR: '1' }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return ms;
}

const launcher = join(REPO, 'lhctl');
// One warm-up each: the launcher's first run may still install or build; V8's compile cache fills.
wallMs(launcher, ['--help']);
wallMs(process.execPath, [CLI, '--help']);
const viaLauncher: number[] = [];
const direct: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  viaLauncher.push(wallMs(launcher, ['--help']));
  direct.push(wallMs(process.execPath, [CLI, '--help']));
}
const ratio = median(viaLauncher) / median(direct);
console.log(`median of ${ROUNDS} alternated runs each`);
console.log(`${'node dist/cli.js --help'.padEnd(58)} ${`${median(direct).toFixed(0)} ms`.padStart(22)}`);
console.log(`${'./lhctl --help'.padEnd(58)} ${`${median(viaLauncher).toFixed(0)} ms`.padStart(22)}`);
console.log(row('./lhctl --help ÷ node dist/cli.js --help', `${ratio.toFixed(2)}x`, `<= ${GOAL}x`, ratio <= GOAL));
