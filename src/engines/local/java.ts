import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RuntimeInstallError } from '../../core/errors.js';
import { MIN_JAVA_MAJOR } from './versions.js';

export interface JavaRuntime {
  bin: string;
  major: number;
  version: string;
}

/** Finds java ($JAVA_HOME first, then PATH) and checks it is new enough for Spark 4. */
export function findJava(javaHome: string | undefined): JavaRuntime {
  const bin = javaHome ? join(javaHome, 'bin', 'java') : 'java';
  const probe = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new RuntimeInstallError(`Java was not found (${javaHome ? `JAVA_HOME=${javaHome}` : 'no java on PATH'})`, {
      hint: `The local engine needs Java ${MIN_JAVA_MAJOR} or newer: install it (e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`,
    });
  }
  const match = /version "([^"]+)"/.exec(probe.stderr + probe.stdout);
  const version = match?.[1] ?? 'unknown';
  const parts = version.split(/[._-]/).map((p) => Number.parseInt(p, 10));
  const major = parts[0] === 1 ? (parts[1] ?? 0) : (parts[0] ?? 0);
  if (!(major >= MIN_JAVA_MAJOR)) {
    throw new RuntimeInstallError(`Java ${version} at ${bin} is too old for Spark 4`, {
      hint: `Install Java ${MIN_JAVA_MAJOR} or newer and point JAVA_HOME at it.`,
    });
  }
  return { bin, major, version };
}
