import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../core/errors.js';

/** Where Debian and Ubuntu put each major version's server programs. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface PostgresBinaries {
  binDir: string;
  /** e.g. "15.18". */
  version: string;
}

/**
 * The newest PostgreSQL server installed the Debian way (/usr/lib/postgresql/<major>/bin with initdb and
 * postgres); an error with the install command when there is none.
 */
export function findPostgres(root = DEBIAN_ROOT): PostgresBinaries {
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')) && existsSync(join(root, name, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = majors[0];
  if (newest === undefined) {
    throw new EngineError(`no PostgreSQL server found under ${root}/<version>/bin`, {
      hint: 'Install it: apt-get install -y postgresql (the orders database runs on the Debian server package).',
    });
  }
  const binDir = join(root, newest, 'bin');
  const out = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const version = /\(PostgreSQL\)\s+(\S+)/.exec(out.stdout ?? '')?.[1] ?? newest;
  return { binDir, version };
}
