import { formatReference, parseReference, type ImageReference } from '../../core/image-ref.js';
import { describe, expect, it } from 'vitest';
import type { BuildRequest, ImageEngine, LocalImage, Registry } from '../../ports/index.js';
import type { PackedImage } from './pack-image.js';
import { skipIfPresent, type Packer } from './publish.js';

/** A registry whose answers to manifestDigest are scripted, one per call. */
function scriptedRegistry(answers: (string | null)[], events: string[] = []): Registry & { calls: number } {
  const registry = {
    calls: 0,
    async manifestDigest() {
      return answers[registry.calls++] ?? null;
    },
    async manifest() {
      return null;
    },
    async blob() {
      return Buffer.alloc(0);
    },
    async hasBlob() {
      return false;
    },
    async pushBlob(_repo: unknown, blob: { digest: string }) {
      events.push(`blob ${blob.digest}`);
    },
    async putManifest(ref: ImageReference) {
      events.push(`manifest ${formatReference(ref)}`);
      return 'sha256:packed';
    },
    async tags() {
      return [];
    },
    async deleteManifest() {},
    async created() {
      return null;
    },
  };
  return registry;
}

function recordingEngine(): ImageEngine & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    async build(request: BuildRequest): Promise<LocalImage> {
      events.push(`build ${formatReference(request.ref)}`);
      return { ref: request.ref, id: 'sha256:local' };
    },
    async save() {
      throw new Error('the packer is faked');
    },
    async inspect() {
      return null;
    },
    async discard(image: LocalImage) {
      events.push(`discard ${formatReference(image.ref)}`);
    },
  };
}

/** A packer that packs nothing real: one blob, a known manifest digest; records that it freed its files. */
function fakePacker(events: string[]): Packer {
  return async (image) => {
    events.push(`pack ${formatReference(image.ref)}`);
    const packed: PackedImage = { manifest: Buffer.from('{}'), manifestDigest: 'sha256:packed', config: Buffer.from('{}'), layers: [], blobs: [{ digest: 'sha256:layer', size: 1, open: async () => Buffer.from('x') }] };
    return { packed, close: () => events.push('close') };
  };
}

const job = (requests: string[]) => ({
  base: async () => ({ name: 'scratch', diffIds: [] }),
  ref: parseReference('r.example.com/app:d1'),
  request: async (): Promise<BuildRequest> => {
    requests.push('made');
    return { ref: parseReference('r.example.com/app:d1'), context: Buffer.alloc(0), dockerfile: 'Dockerfile', buildArgs: {}, platform: 'linux/amd64', labels: {} };
  },
});

describe('skipIfPresent', () => {
  it('builds nothing, and makes no build request, when the registry holds the image', async () => {
    const engine = recordingEngine();
    const requests: string[] = [];
    const result = await skipIfPresent(engine, scriptedRegistry(['sha256:there']), fakePacker(engine.events)).publish(job(requests), () => {});
    expect(result).toEqual({ built: false, present: true, manifest: 'sha256:there' });
    expect(engine.events).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('builds, pushes and confirms with the registry when it is missing', async () => {
    const engine = recordingEngine();
    const result = await skipIfPresent(engine, scriptedRegistry([null, null, 'sha256:packed'], engine.events), fakePacker(engine.events)).publish(job([]), () => {});
    expect(engine.events).toEqual([
      'build r.example.com/app:d1',
      'pack r.example.com/app:d1',
      'blob sha256:layer',
      'manifest r.example.com/app:d1',
      'close',
      'discard r.example.com/app:d1',
    ]);
    expect(result).toEqual({ built: true, present: false, manifest: 'sha256:packed' });
  });

  it('a tag that appeared during the build wins: the fresh build is discarded, never pushed', async () => {
    const engine = recordingEngine();
    const logs: string[] = [];
    const result = await skipIfPresent(engine, scriptedRegistry([null, 'sha256:theirs'], engine.events), fakePacker(engine.events)).publish(job([]), (l) => logs.push(l));
    expect(engine.events).toEqual(['build r.example.com/app:d1', 'pack r.example.com/app:d1', 'close', 'discard r.example.com/app:d1']);
    expect(result).toEqual({ built: false, present: true, manifest: 'sha256:theirs' });
    expect(logs.join('\n')).toContain('appeared in the registry during the build');
    expect(logs.join('\n')).toContain('differs from this build');
  });

  it('a push the registry does not confirm is exit 3, never a success with no manifest', async () => {
    const engine = recordingEngine();
    await expect(skipIfPresent(engine, scriptedRegistry([null, null, null]), fakePacker(engine.events)).publish(job([]), () => {})).rejects.toThrow(/the registry does not have it/);
  });
});
