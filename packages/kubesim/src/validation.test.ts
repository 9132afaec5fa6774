import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { keyAt } from './validation.js';

describe('keyAt', () => {
  it('reads the whole repeated key where the YAML parser points at its first character', () => {
    const cases: [string, string][] = [
      ['{"a":"1","a":"2"}', 'a'],
      ['{\n  "x": {\n    "name": 1,\n    "name": 2}}', 'name'],
      ['name: 1\nname: 2\n', 'name'],
      ['{ab: 1, ab: 2}', 'ab'],
      ["'it''s': 1\n'it''s': 2", "it's"],
      ['"a\\"b": 1\n"a\\"b": 2', 'a"b'],
      ['a:b: 1\na:b: 2', 'a:b'],
      ['k x : 1\nk x : 2', 'k x'],
    ];
    for (const [text, key] of cases) {
      const errors = parseDocument(text, { uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY');
      expect(errors, text).toHaveLength(1);
      expect(keyAt(text, errors[0]!.pos[0]), text).toBe(key);
    }
  });
});
