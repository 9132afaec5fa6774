// The image config and manifest a reproducible image is published with. The config is the
// engine's, minus what says when, where or by which engine it was built; `created` is the Unix
// epoch everywhere (as ko and rules_oci write it). Both documents are serialised with sorted
// keys and no whitespace, so equal content is equal bytes.
import { canonicalJson } from '../canonical-json.js';

export const EPOCH = '1970-01-01T00:00:00Z';

export const MEDIA = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  layerTar: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

export interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
  urls?: string[];
}

type Json = Record<string, unknown>;

/** Fields an engine writes about itself or the build host (moby#30611), never about the image. */
const ENGINE_FIELDS = ['container', 'container_config', 'docker_version', 'id', 'parent', 'author_host'];
const HOST_CONFIG_FIELDS = ['Hostname', 'Domainname'];

export function normalizeConfig(config: Json, diffIds: readonly string[]): Buffer {
  const out: Json = Object.create(null);
  for (const [key, value] of Object.entries(config)) {
    if (ENGINE_FIELDS.includes(key) || key.startsWith('moby.buildkit.')) continue;
    out[key] = value;
  }
  if (out.config && typeof out.config === 'object') {
    const runtime: Json = { ...(out.config as Json) };
    for (const key of HOST_CONFIG_FIELDS) delete runtime[key];
    out.config = runtime;
  }
  out.created = EPOCH;
  if (Array.isArray(out.history)) out.history = (out.history as Json[]).map((h) => ({ ...h, created: EPOCH }));
  out.rootfs = { type: 'layers', diff_ids: [...diffIds] };
  return Buffer.from(canonicalJson(out));
}

/** Base layers keep their registry's bytes; only the media type family is made uniform. */
export function dockerLayerType(mediaType: string): string {
  if (mediaType === 'application/vnd.oci.image.layer.v1.tar+gzip') return MEDIA.layerGzip;
  if (mediaType === 'application/vnd.oci.image.layer.v1.tar') return MEDIA.layerTar;
  return mediaType;
}

export function imageManifest(config: Descriptor, layers: readonly Descriptor[]): Buffer {
  return Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
      layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest, ...(l.urls ? { urls: l.urls } : {}) })),
    }),
  );
}
