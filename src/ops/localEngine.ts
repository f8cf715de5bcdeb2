// The local engine's lifecycle as `lhctl engine` offers it; the one place above engines/ that knows its internals.
export { installRuntime, readManifest, type InstallProgress } from '../engines/local/install.js';
export { localLayout } from '../engines/local/layout.js';
export { orphanedFolders } from '../engines/local/orphanedTables.js';
export { serverStatus, startServer, stopServer } from '../engines/local/server.js';
export { DELTA_VERSION, SPARK_VERSION } from '../engines/local/versions.js';
