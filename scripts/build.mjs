// Bundles the CLI into dist/ so one-shot commands start fast; heavy modules (gRPC, Arrow, Ink,
// the Databricks driver) sit in chunks loaded only by the commands that need them.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Pure-JS dependencies are bundled: one file loads faster than hundreds of module look-ups
  // (Ink, React and Yoga's inlined WebAssembly in the console's chunk: first frame 610 → 380 ms).
  // The Databricks driver and SDK, loaded only for workspace envs, stay in node_modules; Ink's
  // devtools hook is never installed.
  external: ['@databricks/*', 'thrift', 'lz4', 'react-devtools-core'],
  // React's production build: the development one checks and warns on every render.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Which sources went into which chunk: the tests check that one-shot commands load no UI code.
  metafile: true,
  // Bundled CommonJS packages (gRPC) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __lhctlRequire } from 'node:module'; const require = __lhctlRequire(import.meta.url);" },
  sourcemap: false,
  jsx: 'automatic',
  logLevel: 'warning',
});
writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
