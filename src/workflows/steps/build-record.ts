// The `<digest>.pushed` record beside each image this run pushed, and reading it back.
import { contentDigest } from '../../core/content-digest.js';
import { withTag, type ImageReference } from '../../core/image-ref.js';
import { parseRecord, recordConfig, recordConfigDigest, recordManifest, recordTag, RECORD_MANIFEST_MEDIA, type BuildRecord } from '../../core/image/build-record.js';
import { EPOCH } from '../../core/image/image-config.js';
import type { Registry } from '../../ports/index.js';

export async function writeBuildRecord(registry: Registry, ref: ImageReference, record: BuildRecord, signal?: AbortSignal): Promise<void> {
  const config = recordConfig(record);
  const digest = contentDigest(config);
  await registry.pushBlob(ref, { digest, size: config.length, open: async () => config }, signal);
  await registry.putManifest(withTag(ref, recordTag(ref.tag!)), RECORD_MANIFEST_MEDIA, recordManifest({ size: config.length, digest }), signal);
}

export async function readBuildRecord(registry: Registry, ref: ImageReference, signal?: AbortSignal): Promise<BuildRecord | null> {
  const stored = await registry.manifest(withTag(ref, recordTag(ref.tag!)), signal);
  const digest = stored && recordConfigDigest(stored.bytes);
  return digest ? parseRecord(await registry.blob(ref, digest, signal)) : null;
}

/** When a tag was pushed: its record, else the image's own `created` when that is a real time. */
export async function pushedAt(registry: Registry, ref: ImageReference, signal?: AbortSignal): Promise<Date | null> {
  const record = await readBuildRecord(registry, ref, signal);
  if (record) return new Date(record.pushed);
  const created = await registry.created(ref, signal);
  return created && created.getTime() > Date.parse(EPOCH) ? created : null;
}
