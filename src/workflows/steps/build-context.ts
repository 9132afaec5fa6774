// The build context sent to the engine: exactly the digest's files, read from the snapshot (Git
// objects), plus the Dockerfile with slipway image names swapped for their references.
import { createHash } from 'node:crypto';
import { rewriteImageRefs } from '../../core/dockerfile/rewrite.js';
import { createTar, withParentDirs, type TarEntry } from '../../core/tar.js';
import type { BuildRequest, SourceTree } from '../../ports/index.js';
import type { ImageDigest } from './images.js';

export async function buildRequest(
  image: ImageDigest,
  refs: Readonly<Record<string, string>>,
  tree: SourceTree,
  labels: Record<string, string>,
  noCache = false,
): Promise<BuildRequest> {
  const { contextPrefix, dockerfilePath } = image.build;
  const prefix = contextPrefix === '' ? '' : `${contextPrefix}/`;
  const repoPath = (p: string) => `${prefix}${p}`;
  const blobs = await tree.read([dockerfilePath, ...image.inputs.files.map((f) => repoPath(f.path))]);
  const original = blobs.get(dockerfilePath)!.toString('utf8');
  const imageRefs = Object.fromEntries(image.deps.map((d) => [d, refs[d]!]));
  const dockerfileText = rewriteImageRefs(original, imageRefs, new Set(image.build.stageNames));
  const inside = dockerfilePath.startsWith(prefix) ? dockerfilePath.slice(prefix.length) : null;
  // A rewritten or outside Dockerfile goes beside the context files, never over one of them.
  const dockerfile = inside !== null && dockerfileText === original ? inside : '.slipway/Dockerfile';

  const files: TarEntry[] = image.inputs.files.map((f) => {
    const content = blobs.get(repoPath(f.path))!;
    return f.mode === '120000'
      ? { type: 'symlink', path: f.path, target: content.toString('utf8') }
      : { type: 'file', path: f.path, mode: f.mode === '100755' ? 0o755 : 0o644, content };
  });
  if (!image.inputs.files.some((f) => f.path === dockerfile)) {
    files.push({ type: 'file', path: dockerfile, mode: 0o644, content: Buffer.from(dockerfileText) });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const buildArgs = { ...image.build.args };
  for (const [arg, dep] of Object.entries(image.build.dependencyArgs)) buildArgs[arg] = refs[dep]!;
  const entries = withParentDirs(files);
  let tar: Buffer | undefined;
  return {
    ref: image.reference!,
    // Made only when the engine takes the context as a tar (the session's key only for a session).
    get context() {
      return (tar ??= createTar(entries));
    },
    // Over a session the engine gives directories the time they were written: only where no RUN
    // step could read it (core/context/directory-times.ts).
    ...(image.build.contextTimesSeen
      ? {}
      : {
          session: {
            entries,
            get key() {
              return contextKey(entries);
            },
          },
        }),
    dockerfile,
    buildArgs,
    target: image.build.target,
    platform: image.platform,
    labels,
    ...(noCache ? { noCache } : {}),
  };
}

/**
 * What the context holds, byte for byte (paths, modes, link targets, contents, in one hash): a
 * synced copy kept under an equal key holds the same files. Git's object ids would not do under
 * --dev, where a filtered (CRLF, ident) working-tree file can differ from what its id names.
 */
function contextKey(entries: readonly TarEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries) {
    hash.update(`${e.type}\0${e.path}\0${e.type === 'symlink' ? e.target : e.mode}\0${e.type === 'file' ? e.content.length : 0}\0`);
    if (e.type === 'file') hash.update(e.content);
  }
  return hash.digest('hex');
}
