// `node --import ./test/helpers/trace-imports.mjs ...` records into $TRACE_FILE every module URL
// the ESM loader resolves (the launcher, Node built-ins, dockerode and client-node) and, through
// globalThis.__slipwayTrace (bin/slipway passes it to the bundle), the path of every module of the
// bundle as it initialises, so tests can prove that a command did not load a heavy module.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
globalThis.__slipwayTrace = (path) => {
  if (process.env.TRACE_FILE) appendFileSync(process.env.TRACE_FILE, `bundle:${path}\n`);
};
