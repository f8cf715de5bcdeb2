import { defineConfig } from 'vitest/config';

// `make test` runs two groups side by side, each with its own engine (scripts/run-tests.mjs): these
// long pipeline suites (and the remote-cluster suite, which runs the pipeline on a second engine), and
// the rest. Without LHCTL_TEST_GROUP every file runs, one at a time.
const PIPELINE_GROUP = ['test/pipeline/medallion.test.ts', 'test/pipeline/bronzeIngest.test.ts', 'test/pipeline/interruptedRuns.test.ts', 'test/cluster/**/*.test.ts'];
const group = process.env['LHCTL_TEST_GROUP'];
const ALL = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'];
const LIVE_DATABRICKS = process.env['LHCTL_LIVE_DATABRICKS'] === '1' ? [] : ['test/databricks/live.test.ts'];

export default defineConfig({
  test: {
    include: group === 'pipeline' ? PIPELINE_GROUP : ALL,
    // The live Databricks suite needs a workspace and credentials: opt in with LHCTL_LIVE_DATABRICKS=1.
    exclude: ['**/node_modules/**', ...LIVE_DATABRICKS, ...(group === 'rest' ? PIPELINE_GROUP : [])],
    globalSetup: ['test/support/globalSetup.ts'],
    // One Spark server per group on a 2-core machine: a group runs its files one at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
