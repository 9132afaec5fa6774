import { describe, expect, it } from 'vitest';
import { computeDigest, type DigestInputs } from './digest.js';

const base: DigestInputs = { platform: 'linux/amd64', stages: [{ name: null, from: 'busybox', instructions: ['FROM busybox'] }], args: {}, files: [], deps: {} };

describe('computeDigest', () => {
  it('changes with the FROM --platform and the # syntax= frontend, and only when they are present', () => {
    const plain = computeDigest(base);
    const arm = computeDigest({ ...base, stages: [{ ...base.stages[0]!, platform: 'linux/arm64' }] });
    const amd = computeDigest({ ...base, stages: [{ ...base.stages[0]!, platform: 'linux/amd64' }] });
    const syntax = computeDigest({ ...base, syntax: 'docker/dockerfile:1' });
    expect(new Set([plain, arm, amd, syntax]).size).toBe(4);
    // Dockerfiles without either keep the digests they had.
    expect(plain).toBe(computeDigest({ ...base }));
  });
});
