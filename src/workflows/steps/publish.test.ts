import { formatReference, parseReference } from '../../core/image-ref.js';
import { describe, expect, it } from 'vitest';
import type { BuildRequest, ImageEngine, LocalImage, Registry } from '../../ports/index.js';
import { skipIfPresent } from './publish.js';

/** A registry whose answers to manifestDigest are scripted, one per call. */
function scriptedRegistry(answers: (string | null)[]): Registry & { calls: number } {
  const registry = {
    calls: 0,
    async manifestDigest() {
      return answers[registry.calls++] ?? null;
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
    async push(image: LocalImage) {
      events.push(`push ${formatReference(image.ref)}`);
      return 'sha256:pushed';
    },
    async discard(image: LocalImage) {
      events.push(`discard ${formatReference(image.ref)}`);
    },
  };
}

const job = (requests: string[]) => ({
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
    const result = await skipIfPresent(engine, scriptedRegistry(['sha256:there'])).publish(job(requests), () => {});
    expect(result).toEqual({ built: false, present: true, manifest: 'sha256:there' });
    expect(engine.events).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('builds, pushes and confirms with the registry when it is missing', async () => {
    const engine = recordingEngine();
    const result = await skipIfPresent(engine, scriptedRegistry([null, null, 'sha256:confirmed'])).publish(job([]), () => {});
    expect(engine.events).toEqual(['build r.example.com/app:d1', 'push r.example.com/app:d1']);
    expect(result).toEqual({ built: true, present: false, manifest: 'sha256:confirmed' });
  });

  it('a tag that appeared during the build wins: the fresh build is discarded, never pushed', async () => {
    const engine = recordingEngine();
    const logs: string[] = [];
    const result = await skipIfPresent(engine, scriptedRegistry([null, 'sha256:theirs'])).publish(job([]), (l) => logs.push(l));
    expect(engine.events).toEqual(['build r.example.com/app:d1', 'discard r.example.com/app:d1']);
    expect(result).toEqual({ built: false, present: true, manifest: 'sha256:theirs' });
    expect(logs[0]).toContain('appeared in the registry during the build');
  });

  it('a push the registry does not confirm is exit 3, never a success with no manifest', async () => {
    const engine = recordingEngine();
    await expect(skipIfPresent(engine, scriptedRegistry([null, null, null])).publish(job([]), () => {})).rejects.toThrow(/the registry does not have it/);
  });
});
