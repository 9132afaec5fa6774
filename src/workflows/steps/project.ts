// Opens the source snapshot and loads slipway.yaml from it (never from the working tree).
import { CONFIG_FILE, loadConfig, type ProjectFiles } from '../../config/load.js';
import type { LocatedYaml } from '../../config/located-yaml.js';
import type { SlipwayConfig } from '../../config/types.js';
import { isInput, repoJoin, type InputSet } from '../../core/inputs.js';
import { InputError, inputErrorFromIssues } from '../../errors.js';
import type { SourceRepo, SourceTree } from '../../ports/index.js';

export interface ProjectOptions {
  dir: string;
  commit?: string;
  dev: boolean;
}

export interface Project {
  tree: SourceTree;
  config: SlipwayConfig;
  locate: LocatedYaml['locate'];
  /** Project-relative path -> repository-relative path. */
  repoPath(projectPath: string): string;
  /** Repository-relative path -> path shown to the user (relative to the project dir when inside it). */
  displayPath(repoPath: string): string;
  /**
   * Resolves once slipway.yaml is known to be the committed one (rejects, exit 2, when it is not).
   * Awaited by loadProject unless the caller checks every input later (digestImages does).
   */
  configClean: Promise<void>;
}

/**
 * `deferCleanCheck`: return without waiting for `git status` (the caller awaits
 * `project.configClean` before its own errors and checks every input, slipway.yaml included).
 */
export async function loadProject(options: ProjectOptions, deps: { source: SourceRepo }, { deferCleanCheck = false } = {}): Promise<Project> {
  const tree = await deps.source.open(options);
  const repoPath = (p: string) => repoJoin(tree.projectPrefix, p);
  const configPath = repoPath(CONFIG_FILE);
  const configClean = assertInputsClean(tree, { files: [configPath], dirs: [], images: [] });
  configClean.catch(() => undefined); // awaited below, or by the caller
  if (!deferCleanCheck) await configClean;
  const text = (await tree.read([configPath])).get(configPath);
  if (!text) {
    await configClean;
    throw new InputError(`no ${CONFIG_FILE} in ${tree.projectPrefix || 'the repository root'} at commit ${tree.commit.slice(0, 12)}`, {
      hint: `create ${CONFIG_FILE} (see README) and commit it, or pass --dir`,
    });
  }
  const files: ProjectFiles = {
    isFile: (p) => tree.entries.has(repoPath(p)),
    isDir: (p) => {
      const r = repoPath(p);
      if (r === '..' || r.startsWith('../')) return false;
      return r === '' || tree.entries.hasUnder(r);
    },
  };
  const loaded = loadConfig(text.toString('utf8'), files);
  if (!loaded.config) {
    await configClean; // an uncommitted edit explains the error better
    throw inputErrorFromIssues(`invalid ${CONFIG_FILE}`, loaded.issues, `fix ${CONFIG_FILE} and commit it`);
  }
  const prefix = tree.projectPrefix === '' ? '' : `${tree.projectPrefix}/`;
  return {
    tree,
    config: loaded.config,
    locate: loaded.locate,
    repoPath,
    displayPath: (p) => (p.startsWith(prefix) ? p.slice(prefix.length) : `/${p}`),
    configClean,
  };
}

/** Exit 2 listing every input that differs from the commit (SPEC section 4). */
export async function assertInputsClean(tree: SourceTree, inputs: InputSet): Promise<void> {
  const dirty = (await tree.changes()).filter((c) => isInput(c.path, inputs));
  if (dirty.length === 0) return;
  throw new InputError(`${dirty.length} input file${dirty.length === 1 ? ' differs' : 's differ'} from commit ${tree.commit.slice(0, 12)}`, {
    details: dirty.map((c) => `${c.state}: ${c.path}`),
    hint: 'commit them, or pass --dev to use the working tree as it is',
  });
}
