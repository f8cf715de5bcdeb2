import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../src/profiles/profile.js';
import { REPO_ROOT } from './paths.js';

/**
 * A profiles folder for the real CLI (LHCTL_PROFILES_DIR): the bundled profiles plus `<name>.yaml`, the
 * bundled local profile under that name with the given schemas, `protected` (read-only until armed) if asked.
 */
export function profilesDirWith(name: string, schemas: Profile['schemas'], options: { protected?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-profiles-'));
  for (const file of readdirSync(join(REPO_ROOT, 'profiles'))) copyFileSync(join(REPO_ROOT, 'profiles', file), join(dir, file));
  const local = readFileSync(join(REPO_ROOT, 'profiles', 'local.yaml'), 'utf8');
  const renamed = local
    .replace(/^name: local$/m, `name: ${name}`)
    .replace(/^(\s+)(bronze|silver|gold): \S+$/gm, (_line, indent: string, layer: keyof Profile['schemas']) => `${indent}${layer}: ${schemas[layer]}`)
    .replace(/^protected: false$/m, `protected: ${options.protected ?? false}`);
  writeFileSync(join(dir, `${name}.yaml`), renamed);
  return dir;
}
