// What an image itself must not hold (SPEC 5a): when and from which commit it was pushed. It goes
// to a small OCI artifact beside the image, tagged `<digest>.pushed`, which cleanup reads for the
// age of a tag (the image's own `created` is the epoch).
import { canonicalJson } from '../canonical-json.js';

export const RECORD_MEDIA = 'application/vnd.slipway.build.v1+json';
export const RECORD_MANIFEST_MEDIA = 'application/vnd.oci.image.manifest.v1+json';
export const recordTag = (tag: string): string => `${tag}.pushed`;

export interface BuildRecord {
  /** The commit whose build pushed the image. */
  commit: string;
  /** The image's manifest digest. */
  image: string;
  /** When it was pushed (RFC 3339). */
  pushed: string;
}

export function recordConfig(record: BuildRecord): Buffer {
  return Buffer.from(canonicalJson(record));
}

export function recordManifest(config: { size: number; digest: string }): Buffer {
  return Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: RECORD_MANIFEST_MEDIA,
      artifactType: RECORD_MEDIA,
      config: { mediaType: RECORD_MEDIA, size: config.size, digest: config.digest },
      layers: [],
    }),
  );
}

/** The config digest of a record manifest, or null when the bytes are not one. */
export function recordConfigDigest(manifest: Buffer): string | null {
  try {
    const parsed = JSON.parse(manifest.toString('utf8')) as { config?: { mediaType?: string; digest?: string } };
    return parsed.config?.mediaType === RECORD_MEDIA && /^sha256:[0-9a-f]{64}$/.test(parsed.config.digest ?? '') ? parsed.config.digest! : null;
  } catch {
    return null;
  }
}

export function parseRecord(config: Buffer): BuildRecord | null {
  try {
    const r = JSON.parse(config.toString('utf8')) as Partial<BuildRecord>;
    if (typeof r.commit !== 'string' || typeof r.image !== 'string' || typeof r.pushed !== 'string' || Number.isNaN(Date.parse(r.pushed))) return null;
    return { commit: r.commit, image: r.image, pushed: r.pushed };
  } catch {
    return null;
  }
}
