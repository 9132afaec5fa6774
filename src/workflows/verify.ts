// `slipway verify`: rebuild each image without cache, pack it as a build would, and compare it
// with the manifest the registry holds under its digest. Nothing is pushed. A difference is
// exit 1 with what differs: config fields, and per layer each path (size, mode, owner, mtime,
// content hash). What differs is what the Dockerfile does not make deterministic.
import { gunzipSync } from 'node:zlib';
import { diffConfig, diffLayer, summarizeLayer } from '../core/image/image-diff.js';
import { formatReference } from '../core/image-ref.js';
import { EnvironmentError, InputError, WorkFailedError } from '../errors.js';
import type { ImageEngine, Registry, Reporter, SourceRepo } from '../ports/index.js';
import { publishJob } from './steps/build-images.js';
import { digestImages, requireRepositories, type ImageDigest, type ImageOptions } from './steps/images.js';
import type { PackedImage } from './steps/pack-image.js';
import { loadProject, type ProjectOptions } from './steps/project.js';
import { reproduciblePacker } from './steps/publish.js';

export interface VerifyOptions extends ProjectOptions, ImageOptions {
  images: string[];
  signal?: AbortSignal;
}

export interface VerifiedImage {
  name: string;
  ref: string;
  /** The manifest digest the registry holds, and the rebuild's. */
  registry: string;
  rebuilt: string;
  equal: boolean;
  differences: string[];
}

export interface VerifyDeps {
  source: SourceRepo;
  reporter: Reporter;
  registry: Registry;
  engine: ImageEngine;
}

export async function verifyWorkflow(options: VerifyOptions, deps: VerifyDeps): Promise<{ commit: string; images: VerifiedImage[] }> {
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const all = await digestImages(project, { ...options, selected: options.images }, deps.reporter);
  const unknown = options.images.filter((n) => !all.some((i) => i.name === n));
  if (unknown.length) throw new InputError(`unknown image${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { hint: `images: ${all.map((i) => i.name).join(', ')}` });
  const wanted = options.images.length ? all.filter((i) => options.images.includes(i.name)) : all;
  requireRepositories(all);
  const refs = Object.fromEntries(all.map((i) => [i.name, i.ref!]));
  const stored = new Map<string, string>();
  for (const image of wanted) {
    const digest = await deps.registry.manifestDigest(image.reference!, options.signal);
    if (digest) stored.set(image.name, digest);
  }
  const missing = wanted.filter((i) => !stored.has(i.name));
  if (missing.length) {
    throw new EnvironmentError(`nothing to verify: the registry does not hold ${missing.map((i) => i.ref).join(', ')}`, { hint: 'build them first (slipway build); verify compares a rebuild with what was pushed' });
  }
  const results: VerifiedImage[] = [];
  for (const image of wanted) results.push(await verifyOne(project, image, refs, stored.get(image.name)!, deps, options.signal));
  const different = results.filter((r) => !r.equal);
  if (different.length) {
    const error = new WorkFailedError(`not reproducible: ${different.map((r) => r.name).join(', ')}`, {
      details: different.flatMap((r) => [`${r.name}: registry ${r.registry}, rebuilt ${r.rebuilt}`, ...r.differences.map((d) => `    ${d}`)]),
      hint: 'make the listed paths deterministic (pin package versions, drop timestamps and caches written by RUN), then build under a new digest',
    });
    error.json = { commit: project.tree.commit, images: results };
    throw error;
  }
  return { commit: project.tree.commit, images: results };
}

async function verifyOne(
  project: Awaited<ReturnType<typeof loadProject>>,
  image: ImageDigest,
  refs: Record<string, string>,
  registryDigest: string,
  deps: VerifyDeps,
  signal?: AbortSignal,
): Promise<VerifiedImage> {
  const log = (line: string) => deps.reporter.emit({ kind: 'info', message: `${image.name} | ${line}` });
  deps.reporter.emit({ kind: 'step-start', id: image.name, message: `${image.name}: rebuilding without cache` });
  const job = publishJob(project, image, refs, deps, true);
  const local = await deps.engine.build(await job.request(), log, signal);
  const packing = await reproduciblePacker(deps.engine, deps.registry)(local, job, log, signal).finally(() => deps.engine.discard(local));
  try {
    const { packed } = packing;
    const equal = packed.manifestDigest === registryDigest;
    const differences = equal ? [] : await describeDifferences(deps.registry, image, packed, signal);
    deps.reporter.emit({ kind: 'step-done', id: image.name, ok: equal, message: `${image.name}: ${equal ? `reproduced ${registryDigest}` : `differs (${differences.length} differences)`}` });
    return { name: image.name, ref: image.ref!, registry: registryDigest, rebuilt: packed.manifestDigest, equal, differences };
  } finally {
    packing.close();
  }
}

interface Manifest {
  config: { digest: string };
  layers: { digest: string }[];
}

async function describeDifferences(registry: Registry, image: ImageDigest, packed: PackedImage, signal?: AbortSignal): Promise<string[]> {
  const ref = image.reference!;
  const stored = await registry.manifest(ref, signal);
  if (!stored) return [`${formatReference(ref)} disappeared from the registry during the verification`];
  const theirs = JSON.parse(stored.bytes.toString('utf8')) as Manifest;
  if (!theirs.config || !theirs.layers) return [`the registry holds a ${stored.mediaType} for ${formatReference(ref)}, not an image manifest`];
  const lines = diffConfig(JSON.parse((await registry.blob(ref, theirs.config.digest, signal)).toString('utf8')), JSON.parse(packed.config.toString('utf8')));
  const count = Math.max(theirs.layers.length, packed.layers.length);
  for (let i = 0; i < count; i++) {
    const a = theirs.layers[i];
    const b = packed.layers[i];
    if (a && b && a.digest === b.digest) continue;
    if (!a || !b) {
      lines.push(`layer ${i + 1}: only in the ${a ? 'registry' : 'rebuild'}`);
      continue;
    }
    const rebuiltBlob = packed.blobs.find((blob) => blob.digest === b.digest)!;
    const rebuilt = await readAll(await rebuiltBlob.open());
    const layerLines = diffLayer(summarizeLayer(gunzipSync(await registry.blob(ref, a.digest, signal))), summarizeLayer(gunzipSync(rebuilt)));
    lines.push(`layer ${i + 1} (${a.digest} → ${b.digest}):`, ...(layerLines.length ? layerLines : ['same files, different bytes (tar headers or compression)']).map((l) => `  ${l}`));
  }
  return lines;
}

async function readAll(source: NodeJS.ReadableStream | Buffer): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  const chunks: Buffer[] = [];
  for await (const chunk of source as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
