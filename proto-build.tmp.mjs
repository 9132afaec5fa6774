import { build } from 'esbuild';
await build({
  absWorkingDir: '/work/main', entryPoints: ['src/cli/main.ts'], outfile: 'dist/proto/main.cjs', bundle: true, format: 'cjs', platform: 'node', target: 'node20',
  minifyWhitespace: true, minifySyntax: true, external: ['dockerode', '@kubernetes/client-node'],
  define: { 'import.meta.url': '__slipwayUrl' },
  plugins: [{ name: 'no-source-map', setup(b) { b.onResolve({ filter: /^source-map$/ }, () => ({ path: 'source-map', namespace: 'empty' })); b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' })); } }],
  logLevel: 'warning',
});
