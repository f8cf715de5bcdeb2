import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import type { SqlEngine } from './engine.js';
import type { InstallProgress } from './local/install.js';

export interface EngineProgress {
  onProgress?: (message: string) => void;
  onInstallProgress?: (progress: InstallProgress) => void;
}

/** Opens the engine a profile names. Each engine's client is loaded only when a profile needs it. */
export async function openEngine(settings: Settings, profile: Profile, progress: EngineProgress = {}): Promise<SqlEngine> {
  if (profile.engine === 'local') {
    const { openLocalEngine } = await import('./local/index.js');
    return openLocalEngine({ home: settings.home, javaHome: settings.javaHome, env: settings.processEnv }, progress);
  }
  if (profile.engine === 'spark-connect') {
    const [{ openSparkConnectEnv }, { ensureProtocol }, { resolveSparkConnectAuth }] = await Promise.all([
      import('./sparkConnect/index.js'),
      import('./local/install.js'),
      import('../profiles/sparkConnectAuth.js'),
    ]);
    const auth = resolveSparkConnectAuth(settings, profile);
    return openSparkConnectEnv(profile, auth, await ensureProtocol(settings.home, progress.onProgress));
  }
  const { openDatabricksEngine } = await import('./databricks/index.js');
  return openDatabricksEngine(settings, profile);
}

/** Whether lhctl's own engine server answers, read from its state file; no connection is opened. */
export async function localServerRunning(settings: Settings): Promise<boolean> {
  const { serverStatus } = await import('./local/server.js');
  return (await serverStatus(settings.home)).running;
}
