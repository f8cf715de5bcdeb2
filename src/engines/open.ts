import type { Profile } from '../profiles/profile.js';
import type { Settings } from '../profiles/settings.js';
import type { SqlEngine } from './engine.js';
import type { InstallProgress } from './local/install.js';

export interface EngineProgress {
  onProgress?: (message: string) => void;
  onInstallProgress?: (progress: InstallProgress) => void;
}

/** Opens the engine a profile names. The Databricks driver is loaded only when a profile needs it. */
export async function openEngine(settings: Settings, profile: Profile, progress: EngineProgress = {}): Promise<SqlEngine> {
  if (profile.engine === 'local') {
    const { openLocalEngine } = await import('./local/index.js');
    return openLocalEngine({ home: settings.home, javaHome: settings.javaHome, env: settings.processEnv }, progress);
  }
  const { openDatabricksEngine } = await import('./databricks/index.js');
  return openDatabricksEngine(settings, profile);
}

/** Whether lhctl's own engine server answers, read from its state file; no connection is opened. */
export async function localServerRunning(settings: Settings): Promise<boolean> {
  const { serverStatus } = await import('./local/server.js');
  return (await serverStatus(settings.home)).running;
}
