// The OCI content digest of some bytes: `sha256:<hex>`, as registries name blobs and manifests.
import { createHash } from 'node:crypto';

export const contentDigest = (data: string | Uint8Array): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
