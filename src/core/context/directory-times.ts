// Whether a build step could read the modification times of the context's directories. They are
// fixed (0) when the context goes to the engine as slipway's tar; over a BuildKit session the
// engine's file sync leaves each directory with the time its files were written (fsutil sets a
// directory's time before creating what it holds). Copied times are clamped when the image is
// normalised, so only a RUN step that sees a directory brought in from the context (or that mounts
// the context) could turn them into different image bytes.
import type { SourceRef } from '../dockerfile/analyze.js';
import { goMatchRegExp, hasGlobMeta } from './gomatch.js';
import { cleanSourcePath } from './select.js';

/** True when some RUN step may see a context directory's time: the context then goes as the tar. */
export function runSeesContextDirectories(
  instructions: readonly { keyword: string }[],
  sources: readonly SourceRef[],
  files: readonly { path: string }[],
): boolean {
  if (sources.some((s) => s.instruction === 'RUN --mount')) return true;
  const dirs = new Set<string>();
  for (const f of files) for (let i = f.path.indexOf('/'); i >= 0; i = f.path.indexOf('/', i + 1)) dirs.add(f.path.slice(0, i));
  const copiesDirectory = (source: SourceRef): boolean => {
    const path = cleanSourcePath(source.pattern);
    // The context's root is created when the context arrives, either way: only what it holds counts.
    if (path === '.') return dirs.size > 0;
    if (!hasGlobMeta(path)) return dirs.has(path);
    const re = goMatchRegExp(path);
    return !!re && [...dirs].some((d) => re.test(d));
  };
  // Any RUN: a stage may copy from a stage defined further down (COPY --from), so the order of
  // lines does not bound which steps see a directory.
  return sources.some(copiesDirectory) && instructions.some((i) => i.keyword === 'RUN');
}
