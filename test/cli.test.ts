// The CLI contract: help and version stay light, usage errors are exit 2, output formats.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, slipway } from './helpers/cli.js';
import { BASE_PROJECT } from './helpers/digest-fixture.js';
import { gitRepo, tempDir } from './helpers/git-fixture.js';

/**
 * Every source a command loaded: modules from node_modules as the loader saw them, and each
 * module of the bundle (dist/bundle/slipway.cjs) that initialised, by its source path.
 */
function loadedModules(args: string[]): string[] {
  const trace = join(tempDir(), 'trace.txt');
  const r = slipway(args, { env: { TRACE_FILE: trace }, nodeArgs: ['--import', join(ROOT, 'test/helpers/trace-imports.mjs')] });
  expect(r.code).toBe(0);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

describe('slipway CLI', () => {
  it.each([['--help'], ['--version'], ['--help', '--output', 'text'], ['digest', '--help'], ['render', '--help']])('%s does not load dockerode, client-node, handlebars, zod or yaml', (...args) => {
    const modules = loadedModules(args);
    // --version and --help (into a pipe) are answered by the launcher alone; the others run the CLI's entry.
    expect(modules.includes('bundle:node_modules/commander/index.js')).toBe(args.length > 1);
    const heavy = modules.filter((m) => /node_modules\/(dockerode|@kubernetes\/client-node|handlebars|zod|yaml|ora)\//.test(m));
    expect(heavy).toEqual([]);
  });

  it('the trace does see handlebars when render runs (the check can fail)', () => {
    const modules = loadedModules(['render', '--dir', join(ROOT, 'examples/hello'), '--dev']);
    expect(modules.some((m) => m.includes('node_modules/handlebars/'))).toBe(true);
  });

  it("the launcher's --help is the program's own help, byte for byte", () => {
    const own = slipway(['--help', '--output', 'text']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('Commands:');
    for (const flag of ['--help', '-h']) expect(slipway([flag]).stdout).toBe(own.stdout);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(slipway(['--version']).stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [['nope'], "unknown command 'nope'"],
    [['digest', '--bogus'], "unknown option '--bogus'"],
    [['render', '--output', 'yaml'], "argument 'yaml' is invalid"],
    [['render', '--env', 'Prod'], 'environment "Prod" must match'],
    [['digest', '--repo', 'https://registry'], 'repository "https://registry" must match'],
    [[], 'Usage: slipway'],
  ])('usage error %j: exit 2', (args, message) => {
    const r = slipway(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('usage errors with --output json still print the JSON result', () => {
    const r = slipway(['digest', '--bogus', '--output', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'digest', ok: false, exitCode: 2, error: { code: 2 } });
  });

  it('digest: text on stdout, one line per image, warnings on stderr', () => {
    const dir = gitRepo({ ...BASE_PROJECT, 'Dockerfile.worker': 'FROM web\nFROM debian:12\nCOPY --from=0 / /\nCOPY worker.sh /\n' });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['web', 'worker']);
    expect(lines[0]).toMatch(/^web\s+([0-9a-f]{64})\s+registry\.example\.com\/app\/web:\1$/);
    expect(r.stderr).toContain('warning: Dockerfile.worker:2: image "debian:12" is not pinned with @sha256');
    const strict = slipway(['digest', '--dir', dir, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("--strict: 1 input is outside Git's control");
  });

  it('digest IMAGE selects, an unknown image is exit 2', () => {
    const dir = gitRepo(BASE_PROJECT);
    expect(slipway(['digest', 'worker', '--dir', dir]).stdout).toMatch(/^worker /);
    const r = slipway(['digest', 'nope', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown image: nope');
  });

  it('digest --explain lists every input; --output json carries it', () => {
    const dir = gitRepo(BASE_PROJECT);
    const text = slipway(['digest', '--dir', dir, '--explain', 'worker']).stdout;
    expect(text).toContain('image worker');
    expect(text).toMatch(/100644 [0-9a-f]{40} worker\.sh/);
    expect(text).toMatch(/deps \(1\)\n {4}web [0-9a-f]{64}/);
    const json = JSON.parse(slipway(['digest', '--dir', dir, '--explain', '--output', 'json']).stdout) as {
      ok: boolean;
      commit: string;
      images: { name: string; explain: { files: { path: string }[]; args: Record<string, string> } }[];
    };
    expect(json.ok).toBe(true);
    expect(json.commit).toMatch(/^[0-9a-f]{40}$/);
    const web = json.images.find((i) => i.name === 'web')!;
    expect(web.explain.files.map((f) => f.path)).toEqual(['config.json', 'src/main.js', 'src/util.js']);
    expect(web.explain.args).toEqual({ MODE: 'prod' });
  });

  it('a Dockerfile syntax error is exit 2 with file:line', () => {
    const dir = gitRepo({ ...BASE_PROJECT, Dockerfile: 'FROM scratch\nCOPY a\n' });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid Dockerfile: Dockerfile:2: COPY requires at least two arguments');
  });

  it('a COPY source that is not in the commit is exit 2 with file:line', () => {
    const dir = gitRepo({ ...BASE_PROJECT, 'Dockerfile.worker': 'FROM web\nCOPY missing.sh /\n' });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Dockerfile.worker:2: COPY source "missing.sh" is not in the build context');
  });

  it('no slipway.yaml: exit 2', () => {
    const r = slipway(['digest', '--dir', gitRepo({ 'README.md': 'x' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no slipway.yaml in the repository root');
  });

  it('--help with --output json prints one JSON object holding the help', () => {
    for (const args of [['--help'], ['render', '--help'], ['converge', '--help']]) {
      const r = slipway([...args, '--output', 'json']);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { ok: boolean; help: string };
      expect(result.ok).toBe(true);
      expect(result.help).toMatch(/^Usage: slipway/);
    }
  });

  it('--output json carries the located issues; --verbose shows causes as messages, not frames', () => {
    const dir = gitRepo({ ...BASE_PROJECT, 'Dockerfile.worker': 'FROM web\nCOPPY x /\n' });
    const json = slipway(['digest', '--dir', dir, '--output', 'json']);
    expect(JSON.parse(json.stdout).error.issues).toEqual([{ file: 'Dockerfile.worker', line: 2, message: 'unknown instruction: COPPY' }]);
    const verbose = slipway(['history', '--dir', dir, '--kubeconfig', '/nonexistent/kubeconfig', '--verbose']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).not.toMatch(/\n\s+at /);
  });

  it('boolean flags read SLIPWAY_<FLAG> too (--explain, --check, --resolve); "false" means false', () => {
    const dir = gitRepo(BASE_PROJECT);
    expect(slipway(['digest', '--dir', dir], { env: { SLIPWAY_EXPLAIN: 'true' } }).stdout).toContain('stages (');
    expect(slipway(['digest', '--dir', dir], { env: { SLIPWAY_EXPLAIN: 'false' } }).stdout).not.toContain('stages (');
    const check = slipway(['digest', '--dir', dir, '--repo', '127.0.0.1:1/x'], { env: { SLIPWAY_CHECK: '1' } });
    expect(check.code).toBe(3);
    const resolve = slipway(['render', '--dir', dir, '--repo', '127.0.0.1:1/x'], { env: { SLIPWAY_RESOLVE: 'yes' } });
    expect(resolve.code).toBe(3);
  });

  it('warnings and --strict cover the selected images and what they need, not the others', () => {
    const dir = gitRepo({ ...BASE_PROJECT, 'slipway.yaml': 'project: app\nimages:\n  web: {}\n  tool:\n    dockerfile: Dockerfile.tool\n', 'Dockerfile.tool': 'FROM debian:12\n' });
    const web = slipway(['digest', 'web', '--dir', dir, '--strict']);
    expect(web.code, web.stderr).toBe(0);
    expect(web.stderr).not.toContain('debian:12');
    const tool = slipway(['digest', 'tool', '--dir', dir, '--strict']);
    expect(tool.code).toBe(2);
    expect(tool.stderr).toContain('Dockerfile.tool:1: image "debian:12" is not pinned');
    expect(slipway(['digest', '--dir', dir, '--strict']).code).toBe(2);
  });
});
