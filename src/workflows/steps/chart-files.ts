// A chart's files as the snapshot holds them, with symbolic links followed inside the snapshot, as
// Helm follows them in a chart directory (a chart often links templates shared in a monorepo). Git
// stores a link as its target's text; a target outside the repository, absolute or missing is
// refused at the link, never read from the disk.
import { posix } from 'node:path';
import { inputErrorFromIssues, type Issue } from '../../errors.js';
import type { SourceTree } from '../../ports/index.js';

const LINK = '120000';
/** Links followed from one chart file before it is taken for a loop. */
const MAX_HOPS = 8;
/** Directory links that lead back up can multiply the files at each hop: a chart is never this big. */
const MAX_FILES = 100_000;
const HINT = 'point each link at a file or directory committed in this repository, or replace it with the file itself';

/**
 * `sources`: repository path of each chart file -> the repository path its content comes from;
 * `linked`: what links lead to outside the chart directory, inputs of the chart as much as its own files.
 */
export async function chartSources(tree: SourceTree, chartDir: string, display: (path: string) => string): Promise<{ sources: Map<string, string>; linked: { files: string[]; dirs: string[] } }> {
  const sources = new Map<string, string>();
  const linkedDirs = new Set<string>();
  const issues: Issue[] = [];
  const linkText = new Map<string, string>();
  const readLinks = async (paths: string[]) => {
    const wanted = paths.filter((p) => !linkText.has(p));
    for (const [p, blob] of await tree.read(wanted)) linkText.set(p, blob.toString('utf8'));
  };

  // Each round reads the links found in the last one: a link may lead to a link, or to a directory holding links.
  // The chart directory may itself be a link (`deploy -> charts/app`): followed like any other.
  let pending = tree.entries.get(chartDir)?.mode === LINK
    ? [{ path: chartDir, at: chartDir, hops: 0 }]
    : tree.entries.under(chartDir).map((f) => ({ path: `${chartDir}/${f.path}`, at: `${chartDir}/${f.path}`, hops: 0 }));
  while (pending.length) {
    await readLinks(pending.filter((p) => tree.entries.get(p.at)?.mode === LINK).map((p) => p.at));
    const next: typeof pending = [];
    for (const file of pending) {
      if (tree.entries.get(file.at)?.mode !== LINK) {
        sources.set(file.path, file.at);
        continue;
      }
      const text = linkText.get(file.at) ?? '';
      const target = posix.normalize(posix.join(posix.dirname(file.at), text));
      const refuse = (why: string) => issues.push({ file: display(file.path), message: `symbolic link to ${JSON.stringify(text)}: ${why}` });
      if (file.hops >= MAX_HOPS) refuse(`links lead on more than ${MAX_HOPS} times (a loop?)`);
      else if (posix.isAbsolute(text) || target === '..' || target.startsWith('../')) refuse('outside the repository (only the commit is read)');
      else if (tree.entries.has(target)) next.push({ path: file.path, at: target, hops: file.hops + 1 });
      else if (tree.entries.hasUnder(target)) {
        linkedDirs.add(target);
        for (const f of tree.entries.under(target)) next.push({ path: `${file.path}/${f.path}`, at: `${target}/${f.path}`, hops: file.hops + 1 });
      } else refuse('not in the commit');
    }
    if (sources.size + next.length > MAX_FILES) {
      throw inputErrorFromIssues('chart files that cannot be read from the commit', [{ file: display(chartDir), message: `symbolic links make more than ${MAX_FILES} files of the chart (directory links that lead back up?)` }], HINT);
    }
    pending = next;
  }
  if (issues.length) {
    throw inputErrorFromIssues('chart files that cannot be read from the commit', issues, HINT);
  }
  const inChart = (p: string) => p.startsWith(`${chartDir}/`);
  return { sources, linked: { files: [...new Set(sources.values())].filter((p) => !inChart(p)), dirs: [...linkedDirs].filter((d) => !inChart(`${d}/`)) } };
}
