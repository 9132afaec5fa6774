// The project's Git snapshot, opened as soon as the flags are known: git's processes (rev-parse,
// ls-tree, status) run while the workflow's modules load, instead of after them. The workflow's
// own `open` with the same options gets that snapshot; anything else is opened as usual. Under
// bin/slipway, git usually runs already (cli/prestart.ts): the open takes those processes over.
// The git adapter is small and imported statically: a dynamic import would queue behind the
// workflow's modules and start git late.
import { GitSourceRepo } from '../adapters/git.js';
import type { StartedSnapshot } from '../adapters/git-snapshot.js';
import type { SourceRepo, SourceTree } from '../ports/index.js';

type OpenOptions = Parameters<SourceRepo['open']>[0];

/** `prestarted`: git's processes may be running already (cli/prestart.ts); the open takes them if they match. */
export function openSourceEarly(options: OpenOptions, prestarted?: StartedSnapshot): SourceRepo {
  const repo = new GitSourceRepo(prestarted);
  let early: Promise<SourceTree> | undefined = repo.open(options);
  early.catch(() => undefined); // its failure surfaces when the workflow opens the project
  const same = (o: OpenOptions) => o.dir === options.dir && o.commit === options.commit && o.dev === options.dev;
  return {
    open(o) {
      if (early && same(o)) {
        const tree = early;
        early = undefined;
        return tree;
      }
      return repo.open(o);
    },
    history: (o) => repo.history(o),
  };
}
