import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, TEST_HOME } from '../support/paths.js';

const UI_PACKAGE = /(^|\/)node_modules\/(ink|react|react-reconciler|yoga-layout)\//;

/** The sources esbuild put into each file of dist/ (the build writes its metafile there). */
const bundleInputs = (): Record<string, string[]> => {
  const meta = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return Object.fromEntries(Object.entries(meta.outputs).map(([out, o]) => [join(REPO_ROOT, out), Object.keys(o.inputs)]));
};

/** Ink, React or Yoga sources bundled into a file of dist/, or loaded from node_modules. */
function uiCodeIn(file: string, inputs: Record<string, string[]>): string[] {
  if (UI_PACKAGE.test(file)) return [file];
  return (inputs[file] ?? []).filter((input) => UI_PACKAGE.test(input));
}

/** Module URLs a one-shot `lhctl …` loads, recorded by a resolve hook. */
function modulesLoadedBy(args: string[]): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'lhctl-modules-')), 'modules.txt');
  try {
    execFileSync(process.execPath, ['--import', join(REPO_ROOT, 'test', 'ui', 'support', 'moduleLog.mjs'), CLI, ...args], {
      env: { ...process.env, LHCTL_HOME: TEST_HOME, LHCTL_MODULE_LOG: log, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  } catch {
    // the exit code does not matter here, only what was loaded
  }
  return readFileSync(log, 'utf8').trim().split('\n');
}

/**
 * Files of the bundle reachable from dist/cli.js through static imports, plus top-level
 * `await import(…)` (the entry's unconditional load of the main module). Imports inside functions
 * (the console, the REPL, the engines) are what keeps them off the one-shot path.
 */
function staticGraph(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/(?:^|;|\n)\s*import\s*(?:[^'"();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g)) visit(join(dirname(file), m[1]!));
    for (const m of text.matchAll(/^await import\(["'](\.{1,2}\/[^"']+)["']\)/gm)) visit(join(dirname(file), m[1]!));
  };
  visit(entry);
  return seen;
}

describe('the one-shot CLI never loads the console', () => {
  it('has no ink or react code, bundled or imported, anywhere in its static bundle graph', () => {
    const graph = staticGraph(CLI);
    const inputs = bundleInputs();
    expect(graph.size).toBeGreaterThan(1);
    // The console's chunk does hold them, so the check below can tell.
    expect(Object.keys(inputs).filter((file) => uiCodeIn(file, inputs).length > 0).length).toBeGreaterThan(0);
    for (const [file, text] of graph) {
      expect(uiCodeIn(file, inputs), file).toEqual([]);
      expect(text, file).not.toMatch(/\bfrom\s*["'](ink|react|react\/jsx-runtime)["']/);
      expect(text, file).not.toMatch(/\bimport\s*["'](ink|react)["']/);
    }
  });

  it.each([[['--help']], [['engine', 'status']], [['sql', 'select 1']], [['history', 'nope.nothing']]])('lhctl %j loads neither ink nor react', (args) => {
    const loaded = modulesLoadedBy(args);
    const inputs = bundleInputs();
    expect(loaded.length).toBeGreaterThan(3);
    expect(loaded.flatMap((url) => uiCodeIn(url.replace(/^file:\/\//, ''), inputs))).toEqual([]);
  });
});
