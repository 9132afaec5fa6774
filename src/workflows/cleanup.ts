// `slipway cleanup` (SPEC section 9): deletes registry tags nothing needs any more. A tag is kept
// when the last --keep-commits commits of a branch or tag digest to it, a release record or a
// running pod in any given cluster uses it, or it was built less than --keep-younger-than ago.
// Only slipway's own 64-hex tags in the project's image repositories are ever candidates; tags
// are listed once per repository; deletes go by manifest digest, never one a kept tag shares.
import { parseReference, withTag, type ImageReference } from '../core/image-ref.js';
import { decodeRecord, RECORD_LABEL } from '../core/release/records.js';
import { EnvironmentError, InputError } from '../errors.js';
import type { Cluster, Registry, Reporter, SourceRepo } from '../ports/index.js';
import { digestImages, type ImageOptions } from './steps/images.js';
import { loadProject, type ProjectOptions } from './steps/project.js';
import { pushedAt } from './steps/build-record.js';
import { recordTag } from '../core/image/build-record.js';

export interface CleanupOptions extends ProjectOptions, ImageOptions {
  keepCommits: number;
  keepYoungerThanMs: number;
  dryRun: boolean;
  /** Where release records are read (default: every namespace the credentials can list). */
  namespaces?: string[];
  signal?: AbortSignal;
}

export interface CleanupRow {
  image: string;
  tag: string;
  action: 'keep' | 'delete';
  reason: string;
  /** Seconds since the image was built, when the registry says. */
  ageSeconds: number | null;
}

const SLIPWAY_TAG = /^[0-9a-f]{64}$/;

export async function cleanupWorkflow(
  options: CleanupOptions,
  deps: { source: SourceRepo; reporter: Reporter; registry: () => Registry; clusters: () => Promise<Cluster[]>; now?: () => number },
): Promise<CleanupRow[]> {
  const now = deps.now ?? Date.now;
  const project = await loadProject(options, deps, { deferCleanCheck: true }); // digestImages checks every input
  const current = await digestImages(project, options, deps.reporter);
  const repos = new Map(current.filter((i) => i.reference).map((i) => [i.name, i.reference!]));
  if (repos.size === 0) throw new InputError('no image repository to clean up', { hint: 'set "repo" in slipway.yaml or pass --repo' });

  // 1. Git history: the digests the last commits of every branch and tag would build.
  const history = await deps.source.history({ dir: options.dir, perRef: options.keepCommits });
  if (history.shallow) {
    throw new InputError('cleanup needs the full Git history, and this clone is shallow', { hint: 'git fetch --unshallow (in CI: fetch-depth: 0), then run cleanup again' });
  }
  const keep = new Map<string, string>(); // `<image>:<tag>` -> why
  // HEAD was digested above: when history reaches it, its digests are not computed again.
  const head = project.tree.commit;
  for (const commit of history.commits) {
    if (commit === head) {
      for (const image of current) if (!keep.has(`${image.name}:${image.digest}`)) keep.set(`${image.name}:${image.digest}`, `commit ${head.slice(0, 12)}`);
      continue;
    }
    try {
      const at = await loadProject({ ...options, commit, dev: false }, deps);
      const silent = { emit: () => undefined };
      for (const image of await digestImages(at, { ...options, strict: false }, silent)) {
        if (!keep.has(`${image.name}:${image.digest}`)) keep.set(`${image.name}:${image.digest}`, `commit ${commit.slice(0, 12)}`);
      }
    } catch (err) {
      // A commit without slipway.yaml (or one that does not digest) builds nothing to keep.
      if (!(err instanceof InputError)) throw err;
    }
  }

  // 2. The clusters: release records and running pods. One that cannot be read is exit 3.
  const inUse = new Map<string, string>(); // tag -> why
  const damaged: string[] = [];
  for (const cluster of await deps.clusters()) {
    try {
      const where = options.namespaces?.length ? options.namespaces : [undefined];
      const secrets = (await Promise.all(where.map((ns) => cluster.list('v1', 'Secret', ns, { labelSelector: RECORD_LABEL }, options.signal)))).flatMap((l) => l.items);
      for (const secret of secrets) {
        const record = decodeRecord(secret as never);
        // What a damaged record's revision runs is unknown: never read as "nothing".
        if (!record) damaged.push(`${secret.metadata.namespace}/${secret.metadata.name} (cluster ${cluster.server})`);
        else for (const image of record.images) inUse.set(image.digest, `release ${record.namespace}/${record.release} revision ${record.revision}`);
      }
      const pods = await cluster.list('v1', 'Pod', undefined, {}, options.signal);
      for (const pod of pods.items) {
        const spec = pod.spec as { containers?: { image?: string }[]; initContainers?: { image?: string }[] } | undefined;
        for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
          const tag = c.image ? parseReference(c.image).tag : undefined;
          if (tag && SLIPWAY_TAG.test(tag) && !inUse.has(tag)) inUse.set(tag, `pod ${pod.metadata.namespace}/${pod.metadata.name}`);
        }
      }
    } catch (err) {
      if (err instanceof EnvironmentError || err instanceof InputError) {
        throw new EnvironmentError(`cleanup cannot read cluster ${cluster.server}: ${err.message}`, { cause: err, hint: 'cleanup never assumes "nothing in use": fix access to every --kube-context, then run again' });
      }
      throw err;
    }
  }
  if (damaged.length) {
    throw new EnvironmentError(`${damaged.length} release record${damaged.length === 1 ? '' : 's'} cannot be read: what ${damaged.length === 1 ? 'it keeps' : 'they keep'} in use is unknown, so nothing was deleted`, {
      details: damaged,
      hint: 'restore each Secret, or delete it if its release is gone, then run cleanup again',
    });
  }

  // 3. Every repository's tags, once; the candidates are slipway's own.
  const registry = deps.registry();
  const rows: CleanupRow[] = [];
  for (const [image, repo] of repos) {
    const tags = (await registry.tags(repo, options.signal)).filter((t) => SLIPWAY_TAG.test(t)).sort();
    for (const tag of tags) {
      const why = keep.get(`${image}:${tag}`) ?? inUse.get(tag);
      if (why) {
        rows.push({ image, tag, action: 'keep', reason: why, ageSeconds: null });
        continue;
      }
      const created = await pushedAt(registry, withTag(repo, tag), options.signal);
      const age = created ? Math.max(0, Math.round((now() - created.getTime()) / 1000)) : null;
      if (age === null || age * 1000 < options.keepYoungerThanMs) {
        rows.push({ image, tag, action: 'keep', reason: age === null ? 'build time unknown' : `built ${age}s ago`, ageSeconds: age });
      } else rows.push({ image, tag, action: 'delete', reason: 'not needed', ageSeconds: age });
    }
  }
  if (!options.dryRun) await deleteTags(registry, repos, rows, options.signal);
  return rows;
}

/** Deletes by manifest digest, except a manifest a kept tag of the same repository shares. */
async function deleteTags(registry: Registry, repos: Map<string, ImageReference>, rows: CleanupRow[], signal?: AbortSignal): Promise<void> {
  for (const [image, repo] of repos) {
    const mine = rows.filter((r) => r.image === image);
    const doomed = mine.filter((r) => r.action === 'delete');
    if (doomed.length === 0) continue;
    const kept = new Set(await Promise.all(mine.filter((r) => r.action === 'keep').map((r) => registry.manifestDigest(withTag(repo, r.tag), signal))));
    for (const row of doomed) {
      const manifest = await registry.manifestDigest(withTag(repo, row.tag), signal);
      if (!manifest) continue;
      if (kept.has(manifest)) {
        Object.assign(row, { action: 'keep', reason: 'same manifest as a kept tag' });
        continue;
      }
      await registry.deleteManifest(repo, manifest, signal);
      // Its build record goes with it (a record without its image says nothing).
      const record = await registry.manifestDigest(withTag(repo, recordTag(row.tag)), signal);
      if (record) await registry.deleteManifest(repo, record, signal);
    }
  }
}
