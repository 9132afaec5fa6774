// `npm run build` step 2: the CLI as a few ES modules (esbuild, code splitting) instead of
// hundreds, so start-up reads and compiles little. Commands still load their workflows lazily:
// each dynamic import becomes a chunk. dockerode (ssh2's native parts) and client-node stay
// ordinary packages, loaded only by a build or an exec-plugin kubeconfig. meta.json maps each
// chunk to the sources in it (the tests check what --help loads).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Whitespace and syntax only: V8 pre-parses every byte at load, and names stay readable in
  // stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['dockerode', '@kubernetes/client-node'],
  // CommonJS dependencies (handlebars, yaml) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
  metafile: true,
  // handlebars loads source-map only to emit source maps of precompiled templates, which slipway
  // never asks for; without it handlebars uses its own fallback (70 KB less to compile per render).
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
      name: 'no-source-map',
      setup(b) {
        b.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'empty' }));
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      },
    },
  ],
  logLevel: 'warning',
});
writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));

// `slipway --help` into a pipe (CI logs, `| less`) is the same 80-column text every time: the
// launcher prints it from help.txt without loading the CLI. Written by the real program, so it
// cannot drift; a terminal (other widths) still gets commander's own rendering.
const help = spawnSync(process.execPath, ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(`${outdir}/main.js`)}); process.exitCode = await main(['node', 'slipway', '--help'], {});`], { encoding: 'utf8' });
if (help.status !== 0 || !help.stdout.startsWith('Usage: slipway')) throw new Error(`help.txt: slipway --help failed: ${help.stderr}`);
writeFileSync(`${outdir}/help.txt`, help.stdout);
