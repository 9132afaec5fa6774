// `node --import ./test/helpers/trace-imports.mjs ...` records every module URL the ESM loader
// resolves into $TRACE_FILE, so tests can prove that a command did not load a heavy module.
import { register } from 'node:module';

register('./trace-hooks.mjs', import.meta.url);
