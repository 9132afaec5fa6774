// The template cache through the built CLI: a second render runs the templates the first one
// compiled, without loading Handlebars' compiler, and prints the same bytes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway } from './helpers/cli.js';
import { tempDir } from './helpers/git-fixture.js';

const shop = join(ROOT, 'examples/shop');
const COMPILER = 'bundle:node_modules/handlebars/dist/cjs/handlebars/compiler/compiler.js';

function render(cache: string, env: string) {
  const trace = join(tempDir(), 'trace.txt');
  const r = slipway(['render', '--dir', shop, '--dev', '--env', env], { env: { TRACE_FILE: trace, SLIPWAY_CACHE_DIR: cache }, nodeArgs: ['--import', join(ROOT, 'test/helpers/trace-imports.mjs')] });
  expect(r.code, r.stderr).toBe(0);
  return { stdout: r.stdout, modules: readFileSync(trace, 'utf8').split('\n') };
}

describe('the template cache (SLIPWAY_CACHE_DIR)', () => {
  it('a second render takes every template from the cache and prints the same bytes', () => {
    const cache = tempDir();
    const first = render(cache, 'production');
    expect(first.modules).toContain(COMPILER);
    const builds = readdirSync(join(cache, 'templates'));
    expect(builds).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
    const entries = readdirSync(join(cache, 'templates', builds[0]!));
    expect(entries.length).toBe(readdirSync(join(shop, 'deploy/templates')).length);
    const second = render(cache, 'production');
    expect(second.modules).not.toContain(COMPILER);
    expect(second.modules.some((m) => m.includes('node_modules/handlebars/'))).toBe(true); // the runtime
    expect(second.stdout).toBe(first.stdout);
    expect(readdirSync(join(cache, 'templates', builds[0]!))).toEqual(entries);
  });

  it('SLIPWAY_CACHE_DIR= (empty) compiles every time, writes nothing, and prints the same bytes', () => {
    const home = tempDir();
    const off = slipway(['render', '--dir', shop, '--dev'], { env: { SLIPWAY_CACHE_DIR: '', XDG_CACHE_HOME: home } });
    expect(off.code, off.stderr).toBe(0);
    expect(existsSync(join(home, 'slipway'))).toBe(false);
    const cache = tempDir();
    for (let run = 0; run < 2; run++) expect(slipway(['render', '--dir', shop, '--dev'], { env: { SLIPWAY_CACHE_DIR: cache } }).stdout).toBe(off.stdout);
  });
});
