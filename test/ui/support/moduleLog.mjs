// Preloaded with `node --import` to list every module a process loads, one URL a line, in $LHCTL_MODULE_LOG.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.LHCTL_MODULE_LOG;
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (log) appendFileSync(log, `${resolved.url}\n`);
    return resolved;
  },
});
