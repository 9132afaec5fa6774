import { describe, expect, it } from 'vitest';
import type { SourceRef } from '../dockerfile/analyze.js';
import { DockerIgnore } from './dockerignore.js';
import { cleanSourcePath, selectContextFiles, sourcesReach, type ContextFile } from './select.js';

const files = (...paths: string[]): ContextFile[] => paths.map((path) => ({ path, mode: '100644', oid: `oid-${path}` }));
const src = (...patterns: string[]): SourceRef[] => patterns.map((pattern, i) => ({ pattern, line: i + 1, instruction: 'COPY' }));
const select = (all: ContextFile[], ignore: string, sources: SourceRef[]) => selectContextFiles(all, DockerIgnore.parse(ignore), sources);

describe('selectContextFiles', () => {
  const tree = files('Dockerfile', 'README.md', 'src/a.js', 'src/lib/b.js', 'src/a.test.js', 'sub.txt/inner', 'x.txt', 'y.txt');

  it.each([
    ['a directory copies what lies below', ['src'], ['src/a.js', 'src/a.test.js', 'src/lib/b.js']],
    ['a trailing slash is the same directory', ['src/'], ['src/a.js', 'src/a.test.js', 'src/lib/b.js']],
    ['. copies the whole context', ['.'], tree.map((f) => f.path).sort()],
    ['a glob matches files at one depth', ['*.txt'], ['x.txt', 'y.txt', 'sub.txt/inner'].sort()],
    ['a glob can match a directory', ['sub.*'], ['sub.txt/inner']],
    ['** is not recursive', ['**/*.js'], ['src/a.js', 'src/a.test.js']],
    ['a named file', ['src/lib/b.js'], ['src/lib/b.js']],
    ['leading / and ./ mean the context root', ['/x.txt', './y.txt'], ['x.txt', 'y.txt']],
  ])('%s', (_name, patterns, expected) => {
    const r = select(tree, '', src(...patterns));
    expect(r.files.map((f) => f.path)).toEqual(expected);
    expect(r.missing).toEqual([]);
  });

  it('applies .dockerignore before matching', () => {
    const r = select(tree, '**/*.test.js', src('src'));
    expect(r.files.map((f) => f.path)).toEqual(['src/a.js', 'src/lib/b.js']);
  });

  it('a named source that is missing or ignored is reported', () => {
    const r = select(tree, 'README.md', src('README.md', 'nope.txt'));
    expect(r.missing.map((m) => m.pattern)).toEqual(['README.md', 'nope.txt']);
  });

  it('a glob matching nothing is not an error (BuildKit)', () => {
    expect(select(tree, '', src('*.none')).missing).toEqual([]);
  });

  it('a directory whose files are all ignored still exists', () => {
    expect(select(tree, 'src/*', src('src')).missing).toEqual([]);
    expect(select(tree, 'src', src('src')).missing).toHaveLength(1);
  });

  it('cleanSourcePath keeps paths inside the context', () => {
    expect(cleanSourcePath('../../etc/passwd')).toBe('etc/passwd');
    expect(cleanSourcePath('./a/./b/')).toBe('a/b');
    expect(cleanSourcePath('/')).toBe('.');
  });

  it('sourcesReach agrees with selection for existing and new paths', () => {
    const ignore = DockerIgnore.parse('**/*.test.js');
    expect(sourcesReach('src/new.js', ignore, src('src'))).toBe(true);
    expect(sourcesReach('src/new.test.js', ignore, src('src'))).toBe(false);
    expect(sourcesReach('sub.txt/new', ignore, src('*.txt'))).toBe(true);
    expect(sourcesReach('docs/new.md', ignore, src('src', '*.txt'))).toBe(false);
  });
});

describe('COPY --exclude', () => {
  const tree = files('docs/a.md', 'docs/b.txt', 'docs/deep/c.md', 'src/a.js', 'src/a.test.js', 'top.md');
  const excluding = (pattern: string, exclude: string[]) => [{ pattern, line: 1, instruction: 'COPY', exclude }];
  it.each([
    ['relative to the copied directory, one level', 'docs', ['*.md'], ['docs/b.txt', 'docs/deep/c.md']],
    ['** reaches every depth', 'docs/', ['**/*.md'], ['docs/b.txt']],
    ['from the context root', '.', ['*.md', 'src/*.test.js'], ['docs/a.md', 'docs/b.txt', 'docs/deep/c.md', 'src/a.js']],
    ['a whole directory', '.', ['docs'], ['src/a.js', 'src/a.test.js', 'top.md']],
  ])('%s', (_name, pattern, exclude, expected) => {
    expect(select(tree, '', excluding(pattern, exclude)).files.map((f) => f.path)).toEqual(expected);
  });
});
