// Import-direction lint: ui/repl/session → output → commands → exports → pipelines/ops → engines/services/sql/profiles → core.
// A module may import from its own layer or any layer below; only ui/ may import ink or react.
// Inside a layer it looks at sub-folders too: one engine's internals (engines/local/*, engines/databricks/*)
// are imported only by that engine's own folder, the engine factory (engines/open.ts) and the
// engine-specific ops (ops/localEngine.ts, ops/workspace.ts and the workspace ops that take its types).
// engines/sparkConnect/ is the Spark Connect client both the local engine and a cluster env use: engines/local/ may import it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');
const RANK = { core: 1, engines: 2, services: 2, sql: 2, profiles: 2, pipelines: 3, ops: 3, exports: 3.5, commands: 4, output: 5, session: 6, ui: 6, repl: 6, '': 7 };
const UI_ONLY = new Set(['ink', 'react', 'react/jsx-runtime', 'ink-testing-library', 'chalk']);

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

const ENGINE_FOLDERS = ['engines/local', 'engines/databricks', 'engines/sparkConnect'];
const SHARED_CLIENTS = { 'engines/local': 'engines/sparkConnect' };
const MAY_IMPORT_ENGINE_INTERNALS = new Set(['engines/open.ts', 'ops/localEngine.ts', 'ops/workspace.ts', 'ops/deploy.ts', 'ops/shares.ts', 'ops/drift.ts', 'ops/jobsRemote.ts']);
// The local services (services/: the broker, the sources database) run on the engine's machine the way its
// server does: they share its Java lookup, process probes and Maven Central pin, and nothing else of it.
const LOCAL_HOST_HELPERS = new Set(['engines/local/java.ts', 'engines/local/server.ts', 'engines/local/versions.ts']);

/** The engine folder a path lies in (engines/local), or undefined. */
function engineFolderOf(file) {
  const rel = relative(SRC, file);
  return ENGINE_FOLDERS.find((folder) => rel === folder || rel.startsWith(`${folder}/`));
}

const problems = [];
for (const file of files(SRC)) {
  const text = readFileSync(file, 'utf8');
  const from = layerOf(file);
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
  for (const spec of specifiers) {
    if (UI_ONLY.has(spec) && from !== 'ui') problems.push(`${relative(SRC, file)}: imports ${spec}; only src/ui/ may`);
    if (!spec.startsWith('.')) continue;
    const resolved = resolve(dirname(file), spec);
    const engineFolder = engineFolderOf(resolved);
    const rel = relative(SRC, file);
    const hostHelper = rel.startsWith('services/') && LOCAL_HOST_HELPERS.has(relative(SRC, resolved).replace(/\.js$/, '.ts'));
    const sharedClient = SHARED_CLIENTS[engineFolderOf(file)] === engineFolder;
    if (engineFolder && engineFolderOf(file) !== engineFolder && !hostHelper && !sharedClient && !MAY_IMPORT_ENGINE_INTERNALS.has(rel.replace(/\.test\.tsx?$/, '.ts'))) {
      problems.push(
        `${rel} imports ${spec}: only ${engineFolder}/ itself, engines/open.ts and the engine-specific ops may reach into one engine; go through the SqlEngine interface, capabilities or an ops/ module`,
      );
    }
    const target = layerOf(resolved);
    if (RANK[target] === undefined) continue;
    if (RANK[target] > RANK[from])
      problems.push(`${relative(SRC, file)} (${from || 'cli'}) imports ${spec} (${target || 'cli'}): imports must flow ui → commands → exports → pipelines/ops → engines/sql/profiles → core`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} import-direction problem(s)`);
  process.exit(1);
}
console.log('imports flow one way: ok');
