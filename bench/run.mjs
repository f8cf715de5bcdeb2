// Runs the benchmarks: bundles each bench/*.bench.ts with esbuild and runs it with this Node.
// `node bench/run.mjs foundation` runs one.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv[2];
const out = join(dir, '.out');
mkdirSync(out, { recursive: true });
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()) {
  const name = file.replace('.bench.ts', '');
  if (only && name !== only) continue;
  const target = join(out, `${name}.mjs`);
  await build({ entryPoints: [join(dir, file)], outfile: target, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'warning' });
  console.log(`\n== ${name}`);
  execFileSync(process.execPath, [target], { stdio: 'inherit', cwd: join(dir, '..') });
}
