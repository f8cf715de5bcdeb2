import { join } from 'node:path';

/** Where the local Delta Sharing server keeps its catalog, secret, recipients' profile files, log and state under $LHCTL_HOME. */
export interface SharingLayout {
  dir: string;
  /** Shares, their tables, recipients (token hashes only) and grants. Mode 600. */
  catalogFile: string;
  /** The key signing file URLs, made once. Mode 600. */
  secretFile: string;
  /** Recipients' `.share` profile files, one per recipient, mode 600. */
  profilesDir: string;
  logFile: string;
  stateFile: string;
  lockFile: string;
}

export function sharingLayout(home: string): SharingLayout {
  const dir = join(home, 'local', 'sharing');
  return {
    dir,
    catalogFile: join(dir, 'catalog.json'),
    secretFile: join(dir, 'url-signing.key'),
    profilesDir: join(dir, 'recipients'),
    logFile: join(dir, 'logs', 'server.log'),
    stateFile: join(dir, 'server.json'),
    lockFile: join(dir, 'start.lock'),
  };
}
