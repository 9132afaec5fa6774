import { describe, expect, it } from 'vitest';
import { comparable, diffObjects, maskSecrets, sameObject } from './compare.js';
import { decideLease, leaseSpec, microTime } from './lease.js';
import { decodeRecord, encodeRecord, pruneCandidates, revisionsToDrop, type ReleaseRecord } from './records.js';

const record = (revision: number): ReleaseRecord => ({
  release: 'shop', namespace: 'shop', revision, commit: 'c'.repeat(40), status: 'deployed', images: [], valuesChecksum: 'x',
  inventory: [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }], manifests: [], startedAt: '2026-01-01T00:00:00.000Z',
});

describe('release records', () => {
  it('round-trip through a Secret; other Secrets and damaged data are not records', () => {
    const secret = encodeRecord(record(3)) as { type: string; data: Record<string, string>; metadata: { name: string } };
    expect(secret.metadata.name).toBe('slipway.release.shop.v3');
    expect(secret.type).toBe('slipway.dev/release');
    expect(decodeRecord(secret)).toEqual(record(3));
    expect(decodeRecord({ type: 'Opaque', data: secret.data })).toBeNull();
    expect(decodeRecord({ type: 'slipway.dev/release', data: { release: 'not gzip' } })).toBeNull();
  });

  it('keeps ten revisions; prune candidates are those that left the inventory', () => {
    expect(revisionsToDrop(Array.from({ length: 12 }, (_, i) => record(i + 1))).map((r) => r.revision)).toEqual([2, 1]);
    const a = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'a' };
    const b = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'n', name: 'b' };
    expect(pruneCandidates([a, b], [a])).toEqual([b]);
    // A version change of the same object is not a removal.
    expect(pruneCandidates([{ ...b, apiVersion: 'apps/v1beta1' }], [b])).toEqual([]);
  });
});

describe('lease decisions', () => {
  const now = Date.parse('2026-01-01T00:00:30Z');
  it.each([
    [undefined, { action: 'take', why: 'free' }],
    [{ holderIdentity: '' }, { action: 'take', why: 'free' }],
    [leaseSpec('me', now - 1000), { action: 'take', why: 'ours' }],
    [leaseSpec('other', now - 16_000), { action: 'take', why: 'expired' }],
    [leaseSpec('other', now - 5_000), { action: 'wait', holder: 'other', expiresInMs: 10_000 }],
  ])('%j', (spec, expected) => expect(decideLease(spec, 'me', now)).toEqual(expected));

  it('writes MicroTime', () => expect(microTime(now)).toBe('2026-01-01T00:00:30.000000Z'));
});

describe('comparing objects', () => {
  const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', resourceVersion: '5', uid: 'u', managedFields: [{}], creationTimestamp: 't' }, data: { k: 'v' }, status: {} };
  it('ignores server-managed fields', () => {
    expect(comparable(live)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } });
    expect(sameObject(live, { ...live, metadata: { name: 'a', resourceVersion: '9' } })).toBe(true);
    expect(sameObject(live, { ...live, data: { k: 'w' } })).toBe(false);
    // As the YAML of both would compare: key order and undefined keys do not count; types do.
    expect(sameObject({ ...live, spec: { a: 1, b: [1, { c: 'x' }] } }, { ...live, spec: { b: [1, { c: 'x', d: undefined }], a: 1 } })).toBe(true);
    expect(sameObject({ ...live, spec: { a: 1 } }, { ...live, spec: { a: '1' } })).toBe(false);
    expect(sameObject({ ...live, spec: { a: [1, 2] } }, { ...live, spec: { a: [2, 1] } })).toBe(false);
    expect(sameObject({ ...live, spec: { a: null } }, { ...live, spec: {} })).toBe(false);
  });

  it('diffs as YAML with context', () => {
    const diff = diffObjects(live, { ...live, data: { k: 'w' } }, 'ConfigMap/a');
    expect(diff).toContain('--- ConfigMap/a (live)\n+++ ConfigMap/a (this commit)');
    expect(diff).toContain('-  k: v\n+  k: w');
    expect(diffObjects(live, live, 'x')).toBe('');
  });

  it('masks Secret values, telling changed from unchanged', () => {
    const s = (data: object) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    const [before, after] = maskSecrets(s({ same: 'YQ==', pw: 'b2xk' }), s({ same: 'YQ==', pw: 'bmV3' }));
    expect(before!.data).toEqual({ same: '(masked)', pw: '(masked, before)' });
    expect(after!.data).toEqual({ same: '(masked)', pw: '(masked, after)' });
    const diff = diffObjects(before, after, 'Secret/s');
    expect(diff).not.toMatch(/b2xk|bmV3/);
  });
});
