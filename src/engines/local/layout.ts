import { join } from 'node:path';

/** Where the local engine keeps its runtime and data under $LHCTL_HOME. */
export interface LocalLayout {
  runtimeDir: string;
  jarsDir: string;
  protoDir: string;
  manifestFile: string;
  tokenFile: string;
  dataDir: string;
  warehouseDir: string;
  /** Table folders an interrupted CREATE left in the warehouse, set aside (see orphanedTables.ts). */
  orphanedDir: string;
  metastoreDir: string;
  logFile: string;
  /** The server's log4j2 settings, written at each start. */
  logConfigFile: string;
  stateFile: string;
}

export function localLayout(home: string): LocalLayout {
  const runtimeDir = join(home, 'runtime');
  const dataDir = join(home, 'local');
  return {
    runtimeDir,
    jarsDir: join(runtimeDir, 'jars'),
    protoDir: join(runtimeDir, 'proto'),
    manifestFile: join(runtimeDir, 'manifest.json'),
    tokenFile: join(runtimeDir, 'token'),
    dataDir,
    warehouseDir: join(dataDir, 'warehouse'),
    orphanedDir: join(dataDir, 'orphaned'),
    metastoreDir: join(dataDir, 'metastore_db'),
    logFile: join(dataDir, 'logs', 'server.log'),
    logConfigFile: join(dataDir, 'log4j2.properties'),
    stateFile: join(dataDir, 'server.json'),
  };
}
