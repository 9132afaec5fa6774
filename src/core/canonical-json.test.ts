import { describe, expect, it } from 'vitest';
import { CanonicalText, canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], '\u20ac': 1, '\ud83d\ude00': 2, é: 3 })).toBe('{"a":[true,null,"x"],"b":1,"é":3,"€":1,"😀":2}');
  });

  it('serialises numbers and strings as ECMAScript does', () => {
    expect(canonicalJson([1e21, 0.1, -0, 'line\nbreak\u0001'])).toBe('[1e+21,0.1,0,"line\\nbreak\\u0001"]');
  });

  it('rejects what JSON cannot hold', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ f: () => 1 })).toThrow();
  });

  it('writes pre-serialised text as it is, where a list of strings serialises as JSON.stringify does', () => {
    const files = [['a "b"\\c', '100644', 'e69de29b'], ['\u2028\ud800', '120000', '00']];
    expect(canonicalJson({ z: new CanonicalText(JSON.stringify(files)), a: 1 })).toBe(canonicalJson({ z: files, a: 1 }));
  });
});
