// Composition root: the only place that picks concrete adapters and renderers.
import { DockerEngine } from '../adapters/docker.js';
import { GitSourceRepo } from '../adapters/git.js';
import { RegistryClient } from '../adapters/registry/client.js';
import { DockerConfigCredentials } from '../adapters/registry/credentials.js';
import type { ImageEngine, Registry, Reporter, SourceRepo } from '../ports/index.js';
import { createReporter } from '../report/index.js';
import type { CommonFlags } from './options.js';

export interface Deps {
  source: SourceRepo;
  reporter: Reporter;
  registry: Registry;
  engine: ImageEngine;
}

export async function createDeps(flags: CommonFlags & { insecureRegistry?: string[] }, env: NodeJS.ProcessEnv): Promise<Deps> {
  const credentials = new DockerConfigCredentials(env);
  return {
    source: new GitSourceRepo(),
    reporter: await createReporter({ color: flags.color, verbose: flags.verbose, json: flags.output === 'json', stream: process.stderr, env }),
    registry: new RegistryClient({ credentials, insecureRegistries: flags.insecureRegistry ?? [] }),
    // Connects to nothing until a build is needed: a no-op build never talks to Docker.
    engine: new DockerEngine(env, credentials),
  };
}
