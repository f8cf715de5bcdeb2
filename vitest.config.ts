import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The live Databricks suite needs a workspace and credentials: opt in with LHCTL_LIVE_DATABRICKS=1.
    exclude: process.env['LHCTL_LIVE_DATABRICKS'] === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/databricks/live.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // One shared Spark server on a 2-core machine: run test files one at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
