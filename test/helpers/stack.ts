// The running local stack, as `npm run stack -- up` recorded it in .stack/env.json.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export interface StackEnv {
  DOCKER_HOST: string;
  SLIPWAY_TEST_REGISTRY: string;
}

export function stackEnv(): StackEnv {
  return JSON.parse(readFileSync(join(ROOT, '.stack/env.json'), 'utf8')) as StackEnv;
}

/** A repository path no other test uses: tests stay parallel-safe against one registry. */
export function uniqueRepo(prefix = 't'): string {
  return `${stackEnv().SLIPWAY_TEST_REGISTRY}/${prefix}-${randomBytes(6).toString('hex')}`;
}

/** HEAD a manifest on the stack's registry: its digest, or null. */
export async function manifestDigest(ref: string): Promise<string | null> {
  const slash = ref.indexOf('/');
  const colon = ref.lastIndexOf(':');
  const res = await fetch(`http://${ref.slice(0, slash)}/v2/${ref.slice(slash + 1, colon)}/manifests/${ref.slice(colon + 1)}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : null;
}
