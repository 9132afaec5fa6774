import { describe, expect, it } from 'vitest';
import { goMatch } from './gomatch.js';

// Go's filepath.Match, as BuildKit applies it to COPY/ADD sources.
describe('goMatch', () => {
  it.each([
    ['*', 'abc', true],
    ['*', '.hidden', true],
    ['*', 'a/b', false],
    ['*.txt', 'a.txt', true],
    ['**/*.txt', 'a/b.txt', true],
    ['**/*.txt', 'a/b/c.txt', false],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
    ['[abc]x', 'bx', true],
    ['[a-c]x', 'cx', true],
    ['[!a]x', '!x', true],
    ['[!a]x', 'bx', false],
    ['[^a]x', 'bx', true],
    ['[^a]x', 'ax', false],
    ['\\*x', '*x', true],
    ['\\*x', 'ax', false],
    ['[', '[', false],
    ['a[', 'a[', false],
    ['file.(1)+', 'file.(1)+', true],
  ])('%s ~ %s = %s', (pattern, name, expected) => {
    expect(goMatch(pattern, name)).toBe(expected);
  });
});
