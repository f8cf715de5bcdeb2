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

/**
 * A profiles folder with `<name>.yaml`: the bundled live profile (Kafka topic and orders database on the
 * services lhctl runs) under that name, with the given schemas and topic, reading from the orders
 * database only the tables named (none: every other source lands as files).
 */
export function liveProfilesDir(name: string, schemas: Profile['schemas'], options: { topic: string; bootstrapServers?: string; ordersDbTables?: string[]; ordersDbUrl?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lhctl-profiles-'));
  for (const file of readdirSync(join(REPO_ROOT, 'profiles'))) copyFileSync(join(REPO_ROOT, 'profiles', file), join(dir, file));
  let live = readFileSync(join(REPO_ROOT, 'profiles', 'live.yaml'), 'utf8')
    .replace(/^name: live$/m, `name: ${name}`)
    .replace(/^(\s+)(bronze|silver|gold): \S+$/gm, (_line, indent: string, layer: keyof Profile['schemas']) => `${indent}${layer}: ${schemas[layer]}`)
    .replace(/^(\s+)topic: \S+$/m, `$1topic: ${options.topic}`)
    .replace(/^(\s+)bootstrap_servers: local$/m, `$1bootstrap_servers: ${options.bootstrapServers ?? 'local'}`);
  const tables = options.ordersDbTables ?? [];
  live = tables.length === 0 ? live.replace(/^ {2}orders_db:\n(?: {4}.*\n)+/m, '') : live.replace(/^(\s+)tables: .*$/m, `$1tables: [${tables.join(', ')}]`);
  if (options.ordersDbUrl) live = live.replace(/^(\s+)url: local$/m, `$1url: ${options.ordersDbUrl}`);
  writeFileSync(join(dir, `${name}.yaml`), live);
  return dir;
}
