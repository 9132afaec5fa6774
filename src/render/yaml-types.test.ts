// YAML's explicit and 1.1 types give JSON data, as go-yaml v2 (kubectl, Helm) reads them: in rendered
// manifests, in slipway.yaml and values files, and in fromYaml.
import { describe, expect, it, vi } from 'vitest';
import { parseLocatedYaml } from '../config/located-yaml.js';
import { createEnvironment } from './environment.js';
import { manifestsToYaml, parseRendered } from './manifests.js';

const configMap = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;

describe('YAML types as Kubernetes reads them', () => {
  it('keeps timestamps as written and sets, omaps and pairs as the nodes they are written as', () => {
    const text = configMap(
      [
        '  d: 2001-12-14',
        '  t: 2001-12-14 21:59:43.10 -5',
        '  e: !!timestamp 2001-12-14t21:59:43.10-05:00',
        '  s: !!set {a, b}',
        '  o: !!omap [a: 1, b: 2]',
        '  p: !!pairs [a: 1, a: 2]',
        '  k: {2001-12-14: x}',
      ].join('\n'),
    );
    const { manifests, issues } = parseRendered('t.yaml', text);
    expect(issues).toEqual([]);
    expect(JSON.parse(JSON.stringify(manifests[0]!.object.data))).toEqual({
      d: '2001-12-14',
      t: '2001-12-14 21:59:43.10 -5',
      e: '2001-12-14t21:59:43.10-05:00',
      s: { a: null, b: null },
      o: [{ a: 1 }, { b: 2 }],
      p: [{ a: 1 }, { a: 2 }],
      k: { '2001-12-14': 'x' },
    });
  });

  it('decodes !!binary into its text, as go-yaml does, in block and flow forms', () => {
    const { manifests, issues } = parseRendered('t.yaml', configMap('  a: !!binary aGVsbG8=\n  b: !!binary |\n    aGVs\n    bG8gd29ybGQ=\n  c: [!!binary w6k=]'));
    expect(issues).toEqual([]);
    expect(manifests[0]!.object.data).toEqual({ a: 'hello', b: 'hello world', c: ['é'] });
  });

  it('refuses !!binary that is not base64, or whose bytes are not UTF-8 text, at its line', () => {
    for (const [value, reason] of [
      ['!!binary "%%%"', 'invalid base64'],
      ['!!binary aGVsbG8', 'invalid base64'],
      ['!!binary aGVs bG8=', 'invalid base64'],
      ['!!binary iVBORw0KGgo=', 'not UTF-8 text'],
    ]) {
      const { manifests, issues } = parseRendered('t.yaml', configMap(`  a: x\n  b: ${value}`));
      expect(manifests).toEqual([]);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.message).toContain('rendered line 7');
      expect(issues[0]!.message).toContain(reason);
    }
  });

  it('writes what it read as strings quoted, so that a YAML 1.1 reader reads strings again', () => {
    const { manifests } = parseRendered('t.yaml', configMap('  d: 2001-12-14\n  b: !!binary eWVz'));
    const written = manifestsToYaml(manifests);
    expect(written).toContain('  d: "2001-12-14"\n  b: "yes"\n');
    expect(parseRendered('t.yaml', written).manifests[0]!.object.data).toEqual({ d: '2001-12-14', b: 'yes' });
  });

  it('reads slipway.yaml and values files the same way', () => {
    const parsed = parseLocatedYaml('when: !!timestamp 2001-12-14\ntags: !!set {a}\nblob: !!binary aGk=\nlist: !!omap [x: 1]\n', 'values.yaml');
    expect(parsed.errors).toEqual([]);
    expect(parsed.value).toEqual({ when: '2001-12-14', tags: { a: null }, blob: 'hi', list: [{ x: 1 }] });
    const bad = parseLocatedYaml('a: 1\nblob: !!binary "%"\n', 'values.yaml');
    expect(bad.errors).toMatchObject([{ file: 'values.yaml', line: 2 }]);
  });

  it('gives fromYaml the same values, with no warning on stderr for the tags it drops', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const env = createEnvironment([]);
    const out = env.render({ path: 'c/templates/t.yaml', source: '{{toJson (fromYaml values.y)}}' }, { values: { y: 'd: 2001-12-14\ns: !!set {a}\nb: !!binary aGk=' } });
    expect(out).toBe('{"b":"hi","d":"2001-12-14","s":{"a":null}}');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
