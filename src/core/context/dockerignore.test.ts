import { describe, expect, it } from 'vitest';
import { DockerIgnore, parseIgnoreFile } from './dockerignore.js';

/** Which of `files` reach the context under `ignore` (walker semantics included). */
function kept(ignore: string, files: string[]): string[] {
  const matcher = DockerIgnore.parse(ignore);
  return files.filter((f) => matcher.includes(f));
}

// Cases measured against Docker's BuildKit (research/docker-context.md) and the documented rules.
describe('.dockerignore matching', () => {
  it.each([
    ['anchored at the root: *.md', '*.md', ['README.md', 'docs/guide.md', 'a.txt'], ['docs/guide.md', 'a.txt']],
    ['**/*.md at any depth', '**/*.md', ['README.md', 'docs/guide.md', 'a/b/c.md', 'a.txt'], ['a.txt']],
    ['plain name only at the root', 'node_modules', ['node_modules/x.js', 'pkg/node_modules/y.js'], ['pkg/node_modules/y.js']],
    ['? matches one non-separator char', 'file?.txt', ['file1.txt', 'file12.txt', 'file/.txt'], ['file12.txt', 'file/.txt']],
    ['* does not cross /', 'src/*.js', ['src/a.js', 'src/lib/b.js'], ['src/lib/b.js']],
    ['directory match excludes below', 'build', ['build/out.bin', 'build/x/y', 'builder/z'], ['builder/z']],
    ['build/ also excludes a file named build', 'build/', ['build', 'src/build'], ['src/build']],
    ['*/*.js drops a directory named x/lib.js/', '*/*.js', ['x/lib.js/inner.txt', 'x/lib.txt', 'top.js'], ['x/lib.txt', 'top.js']],
    ['*/ excludes every top-level entry', '*/', ['Dockerfile', '.dockerignore', 'src/a'], []],
    ['leading / is the root', '/secret.txt', ['secret.txt', 'sub/secret.txt'], ['sub/secret.txt']],
    ['**.txt only matches a file named .txt', '**.txt', ['.txt', 'a.txt', 'd/.txt'], ['a.txt']],
    ['. matches nothing', '.', ['a', 'b/c'], ['a', 'b/c']],
    ['/ matches nothing', '/', ['a', 'b/c'], ['a', 'b/c']],
    ['../x matches nothing', '../x', ['x', 'a/x'], ['x', 'a/x']],
    ['! re-includes', '*.log\n!keep.log', ['a.log', 'keep.log'], ['keep.log']],
    ['last match wins', '!keep.log\n*.log', ['a.log', 'keep.log'], []],
    ['! reaches into a dir named by its prefix', 'vendor\n!vendor/deep/keep.txt', ['vendor/a.txt', 'vendor/deep/keep.txt', 'vendor/deep/x.txt'], ['vendor/deep/keep.txt']],
    ['! with **/ cannot reach into an excluded dir', 'vendor\n!**/keep.txt', ['vendor/keep.txt', 'keep.txt', 'vendor/deep/keep.txt'], ['keep.txt']],
    ['! with */ cannot reach into an excluded dir', 'vendor\n!*/keep.txt', ['vendor/keep.txt', 'other/keep.txt'], ['other/keep.txt']],
    ['src + !src/*/keep.txt re-includes nothing', 'src\n!src/*/keep.txt', ['src/a/keep.txt', 'src/b.txt'], []],
    ['* + !src/**/*.js brings back only src/top.js', '*\n!src/**/*.js', ['src/top.js', 'src/sub/deep.js', 'a.js', 'src/x.txt'], ['src/top.js']],
    ['the ignore file and the Dockerfile can exclude themselves', '.dockerignore\nDockerfile', ['.dockerignore', 'Dockerfile', 'app.js'], ['app.js']],
    ['# only in column 0 is a comment', '#a.txt\n #b.txt\n\\#c.txt', ['#a.txt', '#b.txt', '#c.txt', 'a.txt'], ['#a.txt', 'a.txt']],
    ['[!a] is the set {!, a}', '[!a].txt', ['a.txt', '!.txt', 'b.txt'], ['b.txt']],
    ['[^a] negates', '[^a].txt', ['a.txt', 'b.txt'], ['a.txt']],
    ['** in the middle spans directories', 'a/**/z', ['a/z', 'a/b/z', 'a/b/c/z', 'a/b/y'], ['a/b/y']],
    ['trailing ** excludes everything below', 'logs/**', ['logs/a', 'logs/b/c', 'logsx'], ['logsx']],
  ])('%s', (_name, ignore, files, expected) => {
    expect(kept(ignore, files)).toEqual(expected);
  });

  it('strips the BOM, CRLF and surrounding spaces', () => {
    expect(parseIgnoreFile('\uFEFF*.tmp\r\n  build  \r\n\r\n! keep.tmp \r\n')).toEqual(['*.tmp', 'build', '!keep.tmp']);
  });

  it('an empty ignore file keeps everything', () => {
    expect(kept('# nothing\n\n', ['a', 'b/c'])).toEqual(['a', 'b/c']);
  });

  it('dirExists: an excluded directory does not exist, one whose files are excluded does', () => {
    expect(DockerIgnore.parse('vendor').dirExists('vendor')).toBe(false);
    expect(DockerIgnore.parse('vendor/*').dirExists('vendor')).toBe(true);
  });
});

describe('a directory pattern is not a string prefix', () => {
  it('vendor excludes vendor/ and nothing that merely starts with "vendor"', () => {
    const ignore = DockerIgnore.parse('vendor\n!vendorx/a\n');
    expect(ignore.includes('vendor/x.go')).toBe(false);
    expect(ignore.includes('vendor')).toBe(false);
    expect(ignore.includes('vendorx/a')).toBe(true);
    expect(ignore.includes('vendorx/b')).toBe(true);
    expect(ignore.includes('vendor.txt')).toBe(true);
    expect(ignore.dirExists('vendorx')).toBe(true);
  });
});
