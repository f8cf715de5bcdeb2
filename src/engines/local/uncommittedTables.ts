import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Delta's commit and checkpoint files: a folder holding none of them has no table version at all. */
const COMMITTED_LOG_FILE = /^\d{20}\.(json|checkpoint\b)/;

/**
 * A CREATE TABLE that is interrupted (a cancelled run, a killed engine) can leave the table's folder
 * behind with data files or a half-written log but no commit. The catalog does not know the table, and
 * Delta refuses to create it again there, so the rerun that should repair things fails instead.
 *
 * This moves such a folder out of the warehouse into `<dataDir>/uncommitted/` (nothing is deleted) and
 * returns where it went. It only ever touches a folder inside the local warehouse that holds no Delta
 * commit; anything else is left alone and `undefined` is returned.
 */
export function setAsideUncommittedTable(tableLocation: string, dirs: { warehouseDir: string; dataDir: string }, now = new Date()): string | undefined {
  const folder = localPath(tableLocation);
  if (!folder || !isInside(folder, dirs.warehouseDir) || !existsSync(folder)) return undefined;
  const log = join(folder, '_delta_log');
  if (existsSync(log) && readdirSync(log).some((name) => COMMITTED_LOG_FILE.test(name))) return undefined;
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = join(dirs.dataDir, 'uncommitted', `${basename(dirname(folder))}.${basename(folder)}.${stamp}`);
  mkdirSync(dirname(target), { recursive: true });
  renameSync(folder, target);
  return target;
}

function localPath(location: string): string | undefined {
  if (location.startsWith('/')) return location;
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}
