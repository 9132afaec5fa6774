import { describe, expect, it } from 'vitest';
import { deleteAt, displayPath, fieldSet, fromFieldsV1, getAt, keyPath, pathKey, toFieldsV1 } from './fields.js';
import { rootType } from './schema.js';

const POD = rootType('', 'v1', 'Pod');
const pod = {
  metadata: { labels: { 'app.kubernetes.io/name': 'web' }, finalizers: ['example.com/a', 'example.com/b'] },
  spec: { containers: [{ name: 'web', image: 'i', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }], args: ['-v'] }] },
};

describe('field paths as path elements', () => {
  it('lists a value\'s field set with keyed items, set members and atomic leaves', () => {
    const set = [...fieldSet(pod, POD)].map((k) => displayPath(keyPath(k))).sort();
    expect(set).toEqual([
      '.metadata.finalizers[="example.com/a"]',
      '.metadata.finalizers[="example.com/b"]',
      '.metadata.labels.app.kubernetes.io/name',
      '.spec.containers[name="web"]',
      '.spec.containers[name="web"].args',
      '.spec.containers[name="web"].image',
      '.spec.containers[name="web"].name',
      '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"]',
      '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].containerPort',
      '.spec.containers[name="web"].ports[containerPort=53,protocol="UDP"].protocol',
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
      '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  it('round-trips through FieldsV1 and reports undeclared fields', () => {
    const set = fieldSet(pod, POD);
    expect(fromFieldsV1(toFieldsV1([...set]))).toEqual(set);
    const unknown: string[] = [];
    fieldSet({ spec: { containers: [{ name: 'x', colour: 'red' }], bogus: 1 } }, POD, { unknown });
    expect(unknown).toEqual(['.spec.containers[name="x"].colour', '.spec.bogus']);
  });

  it('gets and deletes by path: a keyed item, a set member, a dotted key', () => {
    const copy = structuredClone(pod);
    const port53 = ['f:spec', 'f:containers', 'k:{"name":"web"}', 'f:ports', 'k:{"containerPort":53,"protocol":"UDP"}'];
    expect(getAt(copy, port53, POD)).toEqual({ containerPort: 53, protocol: 'UDP' });
    deleteAt(copy, port53, POD);
    deleteAt(copy, ['f:metadata', 'f:finalizers', 'v:"example.com/a"'], POD);
    deleteAt(copy, ['f:metadata', 'f:labels', 'f:app.kubernetes.io/name'], POD);
    expect(copy.spec.containers[0]!.ports).toEqual([{ containerPort: 80 }]);
    expect(copy.metadata).toEqual({ labels: {}, finalizers: ['example.com/b'] });
    expect(pathKey(['f:a'])).toBe('["f:a"]');
  });
});
