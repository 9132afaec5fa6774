import { describe, expect, it } from 'vitest';
import { parseReference } from '../../core/image-ref.js';
import { MissingBlobsError, type Registry } from '../../ports/index.js';
import { pushPacked, type PackedImage } from './pack-image.js';

const blob = (d: string) => ({ digest: `sha256:${d.repeat(64)}`, size: 1, open: async () => Buffer.from('x') });

describe('pushPacked', () => {
  it('uploads the blobs a registry lost again (forced), then writes the manifest', async () => {
    const events: string[] = [];
    let puts = 0;
    const registry = {
      async pushBlob(_r: unknown, b: { digest: string }, _s: unknown, options?: { force?: boolean }) {
        events.push(`${options?.force ? 'force ' : ''}blob ${b.digest.slice(7, 8)}`);
      },
      async putManifest() {
        puts++;
        events.push('manifest');
        if (puts === 1) throw new MissingBlobsError('lost', [`sha256:${'b'.repeat(64)}`]);
        return 'sha256:m';
      },
    } as unknown as Registry;
    const packed = { manifest: Buffer.from('{}'), manifestDigest: 'sha256:m', config: Buffer.from('{}'), layers: [], blobs: [blob('a'), blob('b')] } as PackedImage;
    expect(await pushPacked(registry, parseReference('r.example.com/x:t'), packed)).toBe('sha256:m');
    expect(events).toEqual(['blob a', 'blob b', 'manifest', 'force blob b', 'manifest']);
  });
});
