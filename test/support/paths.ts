import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
/** The test suite's own $LHCTL_HOME, so it never touches an operator's ~/.lhctl. */
export const TEST_HOME = process.env['LHCTL_TEST_HOME'] ?? join(REPO_ROOT, 'test', '.work', 'home');
/** The built CLI; $LHCTL_TEST_CLI points one test file at another build while dist/ is being rebuilt. */
export const CLI = process.env['LHCTL_TEST_CLI'] ?? join(REPO_ROOT, 'dist', 'cli.js');
