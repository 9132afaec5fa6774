import { describe, expect, it } from 'vitest';
import { parseReference } from '../../core/image-ref.js';
import type { Registry } from '../../ports/index.js';
import { prefetchPresence } from './presence.js';

describe('prefetchPresence', () => {
  it('asks for every reference at once, answers each first lookup from that batch, later ones from the registry', async () => {
    const asked: string[] = [];
    let held = true;
    const registry = {
      async manifestDigest(ref: { repository: string }) {
        asked.push(ref.repository);
        return held ? `sha256:${ref.repository}` : null;
      },
      async hasBlob() {
        return true;
      },
    } as unknown as Registry;
    const refs = ['r.example/a:1', 'r.example/b:1'].map((r) => parseReference(r));
    const wrapped = prefetchPresence(registry, refs);
    expect(asked).toEqual(['a', 'b']);
    held = false;
    expect(await wrapped.manifestDigest(refs[1]!)).toBe('sha256:b');
    expect(asked).toEqual(['a', 'b']);
    expect(await wrapped.manifestDigest(refs[1]!)).toBeNull();
    expect(asked).toEqual(['a', 'b', 'b']);
    expect(await wrapped.hasBlob(refs[0]!, 'sha256:x')).toBe(true);
  });

  it('a failed batch lookup fails that image when it asks, and nothing earlier', async () => {
    const registry = { manifestDigest: () => Promise.reject(new Error('registry down')) } as unknown as Registry;
    const ref = parseReference('r.example/a:1');
    const wrapped = prefetchPresence(registry, [ref]);
    await new Promise((r) => setTimeout(r, 10));
    await expect(wrapped.manifestDigest(ref)).rejects.toThrow('registry down');
  });
});
