// Composition root: the only place that picks concrete adapters and renderers.
import { GitSourceRepo } from '../adapters/git.js';
import type { Reporter, SourceRepo } from '../ports.js';
import { createReporter } from '../report/index.js';
import type { CommonFlags } from './options.js';

export interface Deps {
  source: SourceRepo;
  reporter: Reporter;
}

export async function createDeps(flags: CommonFlags, env: NodeJS.ProcessEnv): Promise<Deps> {
  return {
    source: new GitSourceRepo(),
    reporter: await createReporter({ color: flags.color, verbose: flags.verbose, json: flags.output === 'json', stream: process.stderr, env }),
  };
}
