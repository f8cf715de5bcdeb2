// Import-direction lint: ui/repl/session → output → commands → exports → pipelines/ops → engines/sql/profiles → core.
// A module may import from its own layer or any layer below; only ui/ may import ink or react.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');
const RANK = { core: 1, engines: 2, sql: 2, profiles: 2, pipelines: 3, ops: 3, exports: 3.5, commands: 4, output: 5, session: 6, ui: 6, repl: 6, '': 7 };
const UI_ONLY = new Set(['ink', 'react', 'react/jsx-runtime', 'ink-testing-library']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

function layerOf(file) {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? '' : rel[0];
}

const problems = [];
for (const file of files(SRC)) {
  const text = readFileSync(file, 'utf8');
  const from = layerOf(file);
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  for (const spec of specifiers) {
    if (UI_ONLY.has(spec) && from !== 'ui') problems.push(`${relative(SRC, file)}: imports ${spec}; only src/ui/ may`);
    if (!spec.startsWith('.')) continue;
    const target = layerOf(resolve(dirname(file), spec));
    if (RANK[target] === undefined) continue;
    if (RANK[target] > RANK[from]) problems.push(`${relative(SRC, file)} (${from || 'cli'}) imports ${spec} (${target || 'cli'}): imports must flow ui → commands → exports → pipelines/ops → engines/sql/profiles → core`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} import-direction problem(s)`);
  process.exit(1);
}
console.log('imports flow one way: ok');
