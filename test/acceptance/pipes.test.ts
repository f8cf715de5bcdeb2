import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT, TEST_HOME } from '../support/paths.js';

/** `lhctl … | head` as a script writes it, with pipefail so lhctl's own exit status shows. */
function piped(args: string, reader: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" ${args} | ${reader}`], {
    cwd: REPO_ROOT,
    env: { ...process.env, LHCTL_HOME: TEST_HOME, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('lhctl in a pipeline whose reader stops early (real binary, local engine)', () => {
  for (const format of ['csv', 'table', 'json']) {
    it(`ends quietly with exit 0 when head closes the pipe (${format})`, () => {
      const result = piped(`sql "select id, repeat('x', 60) as pad from range(0, 400000)" -o ${format}`, 'head -n 2');
      expect(result.stdout.split('\n').filter(Boolean)).toHaveLength(2);
      expect(result.stderr).not.toMatch(/EPIPE|Error|error:/);
      expect(result.status).toBe(0);
    });
  }
});
