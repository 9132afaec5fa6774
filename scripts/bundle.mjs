// `npm run build` step 2: the CLI as one CommonJS script (esbuild), which bin/slipway runs with a
// V8 code cache: after the first run of a command, its functions start as compiled bytecode
// instead of being parsed and compiled again on every run (yaml, handlebars and commander cost
// more to compile than to run on a small project). Node 20 caches only classic scripts, not ES
// modules. Modules still initialise lazily: a dynamic import inside the CLI becomes a wrapped
// module that runs when first asked for. dockerode and client-node stay ordinary packages, loaded
// only by a build or an exec-plugin kubeconfig. meta.json maps the script to its sources.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
const outfile = `${outdir}/slipway.cjs`;
rmSync(outdir, { recursive: true, force: true });
/** Both scripts: CommonJS for Node 20; whitespace and syntax minified only, so names stay readable in stack traces. */
const script = { absWorkingDir: root, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, charset: 'ascii', logLevel: 'warning' };
const result = await build({
  ...script,
  entryPoints: ['src/cli/main.ts'],
  outfile,
  external: ['dockerode', '@kubernetes/client-node'],
  // bin/slipway passes the script's URL: templates/ and package.json are found next to dist/.
  define: { 'import.meta.url': '__slipwayUrl' },
  metafile: true,
  plugins: [
    {
      // commander requires child_process at load only for executable subcommands, which slipway
      // has none of: a lazy stand-in keeps net, dgram and streams out of `--help` and `--version`.
      name: 'lazy-child-process-for-commander',
      setup(b) {
        b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
          contents: "let real; const load = () => (real ??= require('node:child_process')); module.exports = new Proxy({}, { get: (_t, key) => load()[key] });",
          loader: 'js',
        }));
      },
    },
    {
      // Node 20 cannot run import() inside a script compiled from a code cache ("A dynamic import
      // callback was not specified"): the launcher's import() stands in.
      name: 'import-through-launcher',
      setup(b) {
        b.onLoad({ filter: /[\\/]src[\\/]adapters[\\/]load-external\.ts$/ }, () => ({
          // Node's own modules through require: import() would start the ES module loader (~3 ms).
          contents: "export function loadExternal(specifier) { return specifier.startsWith('node:') ? Promise.resolve(require(specifier)) : __slipwayImport(specifier); }",
          loader: 'js',
        }));
      },
    },
    {
      name: 'no-source-map',
      setup(b) {
        b.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'empty' }));
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      },
    },
  ],
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));

// What bin/slipway runs before the CLI's script (src/cli/prestart.ts): Git's processes start while
// the big script is read and deserialised. Small, so Node's own require compiles it at once.
await build({ ...script, entryPoints: ['src/cli/prestart.ts'], outfile: `${outdir}/prestart.cjs` });

let code = readFileSync(outfile, 'utf8');
if (/\bimport\(/.test(code)) throw new Error('bundle: an import() is left in the script; route it through src/adapters/load-external.ts');
// bin/slipway hands the script its own require, which resolves Node's modules only as the script expects.
const required = [...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((name) => !isBuiltin(name));
if (required.length) throw new Error(`bundle: the script requires ${[...new Set(required)].join(', ')}; bundle it or load it through src/adapters/load-external.ts`);
// Tests see which modules a command initialises (test/helpers/trace-imports.mjs sets
// globalThis.__slipwayTrace; the launcher passes it in): esbuild's two lazy-module helpers report
// each module's path as it first runs.
const helpers = [
  ['(0,fn[__getOwnPropNames(fn)[0]])', '(0,fn[__slipwayInit(__getOwnPropNames(fn)[0])])'],
  ['(0,cb[__getOwnPropNames(cb)[0]])', '(0,cb[__slipwayInit(__getOwnPropNames(cb)[0])])'],
];
for (const [from, to] of helpers) {
  if (code.split(from).length !== 2) throw new Error(`bundle: esbuild's module helper "${from}" not found once; update scripts/bundle.mjs`);
  code = code.replace(from, to);
}
if (!code.startsWith('"use strict";')) throw new Error('bundle: the script does not start with "use strict"; update scripts/bundle.mjs');
code = code.replace(/^"use strict";/, '"use strict";var __slipwayInit=(k)=>(__slipwayTrace&&__slipwayTrace(k),k);');
// The file is the function bin/slipway calls, wrapper included: the launcher compiles the text as
// read, instead of a 700 KB concatenated copy. ASCII (esbuild escapes the rest), so the launcher
// reads it as latin1, without decoding.
code = `(function (exports, require, module, __filename, __dirname, __slipwayUrl, __slipwayImport, __slipwayTrace) {${code}\n})`;
if (!/^[\x00-\x7f]*$/.test(code)) throw new Error('bundle: the script is not ASCII; set esbuild charset to ascii (bin/slipway reads it as latin1)');
// The launcher keys its code caches by this hash: V8 checks a cache against the source's length only.
code += `\n//# slipway-build=${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n`;
writeFileSync(outfile, code);

// `slipway --help` into a pipe (CI logs, `| less`) is the same 80-column text every time: the
// launcher prints it from help.txt without loading the CLI. Written by the real program, so it
// cannot drift; a terminal (other widths) still gets commander's own rendering.
const help = spawnSync(process.execPath, [`${root}bin/slipway`, '--help', '--output', 'text'], { encoding: 'utf8', env: {} });
if (help.status !== 0 || !help.stdout.startsWith('Usage: slipway')) throw new Error(`help.txt: slipway --help failed: ${help.stderr}`);
writeFileSync(`${outdir}/help.txt`, help.stdout);
