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
  packages: 'external',
  sourcemap: false,
  jsx: 'automatic',
  logLevel: 'warning',
});
