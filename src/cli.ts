#!/usr/bin/env node
// Entry point. V8's compile cache (Node 22+) makes later starts skip recompiling the bundle and
// its dependencies (gRPC, Arrow); it must be on before they load, hence the dynamic import.
import module from 'node:module';

module.enableCompileCache?.();
await import('./cliMain.js');
