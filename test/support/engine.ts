import type { SqlEngine } from '../../src/engines/engine.js';
import { openLocalEngine } from '../../src/engines/local/index.js';
import { loadProfile, type Profile } from '../../src/profiles/profile.js';
import { readSettings, type Settings } from '../../src/profiles/settings.js';
import { REPO_ROOT, TEST_HOME } from './paths.js';
import { join } from 'node:path';

/** Settings as the CLI would read them, pointed at the suite's own $LHCTL_HOME. */
export function testSettings(overrides: NodeJS.ProcessEnv = {}): Settings {
  return readSettings({ ...process.env, LHCTL_HOME: TEST_HOME, LHCTL_PROFILES_DIR: join(REPO_ROOT, 'profiles'), ...overrides });
}

export function testProfile(name = 'local'): Profile {
  return loadProfile(join(REPO_ROOT, 'profiles'), name);
}

/** A connection to the suite's running local engine (started by globalSetup); `onProgress` hears its notices. */
export async function sharedEngine(onProgress?: (message: string) => void): Promise<SqlEngine> {
  const settings = testSettings();
  return openLocalEngine({ home: settings.home, javaHome: settings.javaHome, env: settings.processEnv }, { autoStart: false, ...(onProgress ? { onProgress } : {}) });
}
