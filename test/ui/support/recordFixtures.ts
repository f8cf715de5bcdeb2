// Records real command outputs (local engine, fixture schemas) into test/ui/fixtures/ for the UI's
// renderer tests. With the suite's engine up:
//   npx esbuild test/ui/support/recordFixtures.ts --bundle --platform=node --format=esm \
//     --packages=external --outfile=test/.work/record.js && node test/.work/record.js
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleSession } from '../../../src/session/session.js';
import { sharedEngine, testSettings } from '../../support/engine.js';
import { REPO_ROOT } from '../../support/paths.js';
import { createFixtureTables, FIXTURE_TABLE, fixtureProfilesDir } from './fixtureTable.js';
import { encodeData } from './recorded.js';

const OUTPUTS: Record<string, string[]> = {
  tables: ['tables', '--layer', 'gold'],
  history: ['history', FIXTURE_TABLE],
  describe: ['describe', FIXTURE_TABLE],
  cdf: ['cdf', FIXTURE_TABLE, '--from', '1', '--to', '2'],
  diff: ['diff', FIXTURE_TABLE, '--from', '1', '--to', '3', '--key', 'customer_id', '--rows'],
};

const engine = await sharedEngine();
await createFixtureTables(engine);
const session = new ConsoleSession({ settings: testSettings({ LHCTL_PROFILES_DIR: fixtureProfilesDir() }), source: 'repl', openEngine: async () => engine });
const io = { ui: { progress: () => undefined, warn: () => undefined, confirm: async () => false }, signal: new AbortController().signal, background: true };
for (const [name, [command, ...argv]] of Object.entries(OUTPUTS)) {
  const { result, record } = await session.run(command!, argv, io, encodeData);
  writeFileSync(join(REPO_ROOT, 'test', 'ui', 'fixtures', `${name}.json`), `${JSON.stringify({ command: record.command, data: result }, null, 1)}\n`);
  process.stdout.write(`recorded ${record.command}\n`);
}
await session.close();
