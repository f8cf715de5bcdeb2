// Bundles the CLI into dist/ so one-shot commands start fast; heavy modules (gRPC, Arrow, Ink,
// the Databricks driver) sit in chunks loaded only by the commands that need them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Pure-JS dependencies are bundled: one file loads faster than hundreds of module look-ups.
  // The Databricks driver and SDK (loaded only for workspace envs) and Ink/React (whose layout
  // engine ships WebAssembly) stay in node_modules.
  external: ['@databricks/*', 'thrift', 'lz4', 'ink', 'react', 'react/*', 'yoga-layout', 'yoga-layout/*'],
  // Bundled CommonJS packages (gRPC) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __lhctlRequire } from 'node:module'; const require = __lhctlRequire(import.meta.url);" },
  sourcemap: false,
  jsx: 'automatic',
  logLevel: 'warning',
});
