import { spawn } from 'node:child_process';
import { CLI, REPO_ROOT, TEST_HOME } from './paths.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `lhctl` binary as a user would, against the suite's engine. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, LHCTL_HOME: TEST_HOME, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
  });
}
