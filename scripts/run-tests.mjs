// The whole suite as two groups run side by side, each against its own engine in its own $LHCTL_HOME:
// the long pipeline suites in one, everything else in the other. One engine running a transformation
// keeps the 2-core machine about half busy (each statement waits on its commit, the client, the next
// statement), so two engines finish in a little more than the longer group's time instead of the sum.
// Prints both groups' output line by line with the group's name, then the plain summary CI reads.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, 'test', '.work');
const CLI = join(ROOT, 'dist', 'cli.js');
// Group names as vitest.config.ts knows them; each gets its own home and results file.
const GROUPS = ['rest', 'pipeline'];
const homeOf = (group) => (group === 'rest' ? join(WORK, 'home') : join(WORK, `home-${group}`));

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
}

mkdirSync(WORK, { recursive: true });
run(process.execPath, ['scripts/build.mjs']);
// The runtime (Spark, Delta, the connectors: ~400 MB from Maven Central) is downloaded once; the other
// homes get hard links to the same files.
const [first, ...others] = GROUPS.map(homeOf);
run(process.execPath, [CLI, 'engine', 'install'], { LHCTL_HOME: first });
for (const home of others) {
  if (!existsSync(join(home, 'runtime', 'manifest.json'))) {
    mkdirSync(home, { recursive: true });
    run('cp', ['-al', join(first, 'runtime'), join(home, 'runtime')]);
  }
}

function runGroup(group) {
  const results = join(WORK, `results-${group}.json`);
  rmSync(results, { force: true });
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LHCTL_TEST_GROUP: group, LHCTL_TEST_HOME: homeOf(group), LHCTL_TEST_BUILT: '1' },
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${group}] ${line}\n`));
  }
  return new Promise((done) => child.on('close', () => done(results)));
}

const results = await Promise.all(GROUPS.map(runGroup));
for (const group of GROUPS) {
  const env = { ...process.env, LHCTL_HOME: homeOf(group) };
  for (const args of [
    ['engine', 'stop'],
    ['services', 'stop', 'kafka'],
    ['services', 'stop', 'postgres'],
  ]) {
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: 'ignore', env });
  }
}
const summary = spawnSync(process.execPath, [join(ROOT, 'scripts', 'test-summary.mjs'), ...results], { stdio: 'inherit' });
process.exit(summary.status ?? 1);
