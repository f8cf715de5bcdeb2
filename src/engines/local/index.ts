import { EngineNotRunningError } from '../../core/errors.js';
import { ensureToken, installRuntime, readManifest, type InstallProgress, type RuntimeHost } from './install.js';
import { localLayout } from './layout.js';
import { LocalSqlEngine } from './localEngine.js';
import { notRunning, serverStatus, startServer } from './server.js';

export { LocalSqlEngine } from './localEngine.js';
export type { RuntimeHost, InstallProgress } from './install.js';

export interface OpenLocalOptions {
  /** Install the runtime and start the server when they are missing (default true). */
  autoStart?: boolean;
  onProgress?: (message: string) => void;
  onInstallProgress?: (progress: InstallProgress) => void;
}

/**
 * Connects to the local engine, installing the runtime and starting the server first when needed
 * and saying so, so that any command can be the first one an operator runs.
 */
export async function openLocalEngine(host: RuntimeHost, options: OpenLocalOptions = {}): Promise<LocalSqlEngine> {
  const layout = localLayout(host.home);
  const autoStart = options.autoStart ?? true;
  let status = await serverStatus(host.home);
  if (!status.running) {
    if (!autoStart) throw notRunning();
    if (!readManifest(layout)) {
      options.onProgress?.('installing the local runtime (once; Spark and Delta jars from Maven Central)');
      await installRuntime(host, options.onInstallProgress ?? (() => undefined));
    }
    await startServer(host, options.onProgress ? { onProgress: options.onProgress } : {});
    status = await serverStatus(host.home);
  }
  if (!status.state) throw new EngineNotRunningError('the local engine did not stay up', { hint: 'See `lhctl engine logs`.' });
  return new LocalSqlEngine({
    port: status.state.port,
    token: ensureToken(layout),
    protoDir: layout.protoDir,
    dirs: { warehouseDir: layout.warehouseDir, orphanedDir: layout.orphanedDir },
    ...(options.onProgress ? { onNotice: options.onProgress } : {}),
  });
}
