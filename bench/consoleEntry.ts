// What `lhctl` (no arguments, on a terminal) does, bundled like dist/ (code splitting, compile
// cache), for timing the console's cold start before or apart from the CLI wiring.
import module from 'node:module';

module.enableCompileCache?.();
const { readSettings } = await import('../src/profiles/settings.js');
const { runConsole } = await import('../src/ui/runConsole.js');
process.exitCode = await runConsole({ settings: readSettings() });
