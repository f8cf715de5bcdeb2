import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** The test suite's own $LHCTL_HOME, so it never touches an operator's ~/.lhctl. */
export const TEST_HOME = process.env['LHCTL_TEST_HOME'] ?? join(REPO_ROOT, 'test', '.work', 'home');
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');
