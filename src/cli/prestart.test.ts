import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessSourceFlags, SOURCE_COMMANDS } from './prestart.js';

const argv = (...args: string[]) => ['node', 'slipway', ...args];

describe('guessSourceFlags', () => {
  it('names exactly the commands that open the project at once', () => {
    const dir = new URL('./commands/', import.meta.url);
    const opening = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && readFileSync(new URL(f, dir), 'utf8').includes('earlySource('))
      .map((f) => f.replace(/\.ts$/, ''));
    expect([...SOURCE_COMMANDS].sort()).toEqual(opening.sort());
  });

  it('guesses nothing for other commands, help, or no command', () => {
    expect(guessSourceFlags(argv(), {})).toBeUndefined();
    expect(guessSourceFlags(argv('history', '--dir', 'x'), {})).toBeUndefined();
    expect(guessSourceFlags(argv('--dir', 'x', 'render'), {})).toBeUndefined();
    expect(guessSourceFlags(argv('render', '--help'), {})).toBeUndefined();
    expect(guessSourceFlags(argv('digest', '-h'), {})).toBeUndefined();
  });

  it('reads --dir and --commit as commander does: separate or joined values, the last one wins', () => {
    expect(guessSourceFlags(argv('render'), {})).toEqual({ dir: '.', commit: undefined });
    expect(guessSourceFlags(argv('render', '--env', 'production', '--dir', 'a/b'), {})).toEqual({ dir: 'a/b', commit: undefined });
    expect(guessSourceFlags(argv('digest', '--dir=a', '--commit=abc', '--dir', 'c'), {})).toEqual({ dir: 'c', commit: 'abc' });
    expect(guessSourceFlags(argv('build', '--commit', 'HEAD~1'), {})).toEqual({ dir: '.', commit: 'HEAD~1' });
    // A value that looks like a flag is still the value, as commander takes it.
    expect(guessSourceFlags(argv('build', '--dir', '--dev'), {})).toEqual({ dir: '--dev', commit: undefined });
    expect(guessSourceFlags(argv('render', '--dir='), {})).toEqual({ dir: '', commit: undefined });
  });

  it('takes SLIPWAY_DIR and SLIPWAY_COMMIT under the command line, empty values included', () => {
    expect(guessSourceFlags(argv('converge'), { SLIPWAY_DIR: 'env-dir', SLIPWAY_COMMIT: 'abc' })).toEqual({ dir: 'env-dir', commit: 'abc' });
    expect(guessSourceFlags(argv('converge', '--dir', 'cli'), { SLIPWAY_DIR: 'env-dir' })).toEqual({ dir: 'cli', commit: undefined });
    expect(guessSourceFlags(argv('verify'), { SLIPWAY_DIR: '' })).toEqual({ dir: '', commit: undefined });
  });

  it('stops at -- and gives up on a flag without its value', () => {
    expect(guessSourceFlags(argv('render', '--', '--dir', 'x'), {})).toEqual({ dir: '.', commit: undefined });
    expect(guessSourceFlags(argv('render', '--dir'), {})).toBeUndefined();
  });
});
