import { execFileSync } from 'node:child_process';
import { installRuntime } from '../../src/engines/local/install.js';
import { startServer } from '../../src/engines/local/server.js';
import { CLI, REPO_ROOT, TEST_HOME } from './paths.js';

/**
 * Builds the CLI (acceptance tests run the real binary), installs the local runtime once and
 * starts one engine for the whole suite.
 */
export async function setup(): Promise<void> {
  // scripts/run-tests.mjs builds once for the groups it runs side by side.
  if (process.env['LHCTL_TEST_BUILT'] !== '1') execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const host = { home: TEST_HOME, javaHome: process.env['JAVA_HOME'], env: process.env };
  let lastShown = -1;
  await installRuntime(host, (p) => {
    const step = Math.floor((p.done / Math.max(1, p.total)) * 10);
    if (p.phase !== 'resolve' || step !== lastShown) process.stderr.write(`[test setup] runtime ${p.phase} ${p.done}/${p.total} ${p.detail}\n`);
    lastShown = step;
  });
  await startServer(host, { onProgress: (m) => process.stderr.write(`[test setup] ${m}\n`) });
  process.env['LHCTL_HOME'] = TEST_HOME;
  void CLI;
}

/**
 * The engine is left running: other test runs may share it, and the next run starts in seconds.
 * `make test` stops it afterwards (`LHCTL_HOME=test/.work/home lhctl engine stop`).
 */
export async function teardown(): Promise<void> {}
