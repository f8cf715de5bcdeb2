import { renameSync, writeFileSync } from 'node:fs';

/**
 * Writes beside the file and renames over it, so a reader in another lhctl process (a console, a
 * script, a TAB completion) sees the old content or the new, never half of it.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, text, { mode });
  renameSync(staging, file);
}
