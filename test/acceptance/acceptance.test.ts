import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * Golden CLI output, one folder per case (as in databricks/cli's acceptance tests): `args` holds
 * one invocation per line (`#` comments, optional `stdin:` file); `output.txt` is what the real
 * binary printed — exit code, stdout, stderr — for each. `UPDATE_GOLDEN=1` rewrites the files;
 * they are never edited by hand, and a case without one fails.
 */
const CASES = join(REPO_ROOT, 'test', 'acceptance', 'cases');
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Splits an args line like a shell would for simple quoting: "…" and '…' group words. */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]!)));
}

/** Output that varies between machines (paths, ports, timings) is replaced by stable markers. */
function stable(text: string): string {
  return text
    .replaceAll(REPO_ROOT, '<repo>')
    .replace(/\(\d+(\.\d+)? s\)/g, '(<s> s)')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
}

describe('acceptance: golden CLI output of the real binary', () => {
  for (const name of readdirSync(CASES).sort()) {
    it(name, async () => {
      const dir = join(CASES, name);
      const lines = readFileSync(join(dir, 'args'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      let transcript = '';
      for (const line of lines) {
        const result = await runCli(words(line), { env: { LHCTL_PROFILES_DIR: existsSync(join(dir, 'profiles')) ? join(dir, 'profiles') : join(REPO_ROOT, 'profiles') } });
        transcript += `$ lhctl ${line}\n[exit ${result.code}]\n--- stdout\n${stable(result.stdout)}--- stderr\n${stable(result.stderr)}\n`;
      }
      const golden = join(dir, 'output.txt');
      if (update) writeFileSync(golden, transcript);
      // A case without its golden fails: outputs are written only on purpose, with UPDATE_GOLDEN=1.
      if (!existsSync(golden)) throw new Error(`${name} has no output.txt; run the suite with UPDATE_GOLDEN=1 to write it, then review it`);
      expect(transcript).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
