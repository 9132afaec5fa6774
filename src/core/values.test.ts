import { describe, expect, it } from 'vitest';
import { applySet, findForbiddenKey, mergeValues, SetSyntaxError, type Values } from './values.js';

describe('mergeValues', () => {
  it('merges maps deeply, replaces lists and scalars, deletes on null', () => {
    const base = { a: { b: 1, c: [1, 2], d: 'x' }, keep: true, gone: 1 };
    expect(mergeValues(base, { a: { b: 2, c: [3] }, gone: null })).toEqual({ a: { b: 2, c: [3], d: 'x' }, keep: true });
    expect(base.a.b).toBe(1);
  });
});

describe('applySet', () => {
  it.each([
    ['a.b=1', { a: { b: 1 } }],
    ['a.b=true,c=false', { a: { b: true }, c: false }],
    ['name=hello world', { name: 'hello world' }],
    ['v=1.5', { v: '1.5' }],
    ['v=007', { v: '007' }],
    ['list[1]=x', { list: [undefined, 'x'] }],
    ['a.list[0].name=n', { a: { list: [{ name: 'n' }] } }],
    ['dotted\\.key=v', { 'dotted.key': 'v' }],
    ['csv=a\\,b', { csv: 'a,b' }],
    ['eq=a=b', { eq: 'a=b' }],
  ])('%s', (expr, expected) => {
    expect(applySet({}, expr)).toEqual(expected);
  });

  it('null deletes and values override', () => {
    expect(applySet({ a: { b: 1, c: 2 } }, 'a.b=null,a.c=3')).toEqual({ a: { c: 3 } });
  });

  it.each(['nokey', '=v', 'a..b=1'])('rejects %j', (expr) => {
    expect(() => applySet({}, expr)).toThrow(SetSyntaxError);
  });

  it("refuses an index above Helm's 65536: a list that long is all nulls, in every step after", () => {
    expect(applySet({}, 'list[65536]=x').list).toHaveLength(65537);
    expect(() => applySet({}, 'list[65537]=x')).toThrow('--set "list[65537]=x": index of 65537 is greater than maximum supported index value of 65536');
    expect(() => applySet({}, 'a[0][4294967295]=x')).toThrow(/maximum supported index/);
  });
});

describe('prototype pollution', () => {
  it.each(['__proto__.namespace=kube-system', 'a.__proto__.x=1', 'constructor.prototype.x=1', 'a.prototype=1', 'list[0].__proto__.polluted=1'])(
    '--set %s is refused',
    (expression) => {
      expect(() => applySet({}, expression)).toThrow(/is not allowed as a key/);
      expect(({} as Record<string, unknown>).namespace).toBeUndefined();
    },
  );

  it('a trailing backslash is refused; an escaped one is a character', () => {
    expect(() => applySet({}, 'a=b\\')).toThrow(SetSyntaxError);
    expect(applySet({}, 'a=b\\\\')).toEqual({ a: 'b\\' });
  });

  it('value trees have no prototype and merging never copies a forbidden key', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": {"constructor": {"prototype": {"x": 1}}}}') as Values;
    const merged = mergeValues({}, hostile);
    expect(Object.getPrototypeOf(merged)).toBeNull();
    expect(Object.keys(merged)).toEqual(['a']);
    expect(Object.keys(merged.a as Values)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(findForbiddenKey(hostile)).toBe('__proto__');
    expect(findForbiddenKey({ a: [{ ok: 1 }, { prototype: 1 }] })).toBe('a[1].prototype');
  });
});
