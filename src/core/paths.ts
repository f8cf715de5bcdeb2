import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The lhctl package root (holds package.json, sql/, profiles/), from the bundle or the sources. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'sql'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lhctl package root not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}
