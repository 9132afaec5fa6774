// Composition root: the only place that picks concrete adapters and renderers. Each capability is
// built on first use, so `render` never constructs a registry or cluster client.
import { join } from 'node:path';
import { DockerEngine } from '../adapters/docker.js';
import { GitSourceRepo } from '../adapters/git.js';
import { cacheDir, FileLayerStore } from '../adapters/layer-cache.js';
import { BUILD, FileTemplateCache } from '../adapters/template-cache.js';
import { GZIP_SCHEME } from '../core/image/gzip-scheme.js';
import { RegistryClient } from '../adapters/registry/client.js';
import { DockerConfigCredentials } from '../adapters/registry/credentials.js';
import { InputError } from '../errors.js';
import type { Cluster, ImageEngine, LayerStore, Registry, Reporter, SourceRepo, TemplateCache } from '../ports/index.js';
import { createReporter } from '../report/index.js';
import type { ClusterFlags, CommonFlags } from './options.js';

export interface Deps {
  source: SourceRepo;
  reporter: Reporter;
  readonly registry: Registry;
  readonly engine: ImageEngine;
  /** Base layers compressed by earlier runs on this machine (SLIPWAY_CACHE_DIR). */
  readonly layers: LayerStore;
  /** Chart templates compiled by earlier runs of this build (SLIPWAY_CACHE_DIR); none from the sources. */
  readonly templates: TemplateCache | undefined;
}

/** Seconds each network request may take (connect and answer): SLIPWAY_REQUEST_TIMEOUT, default 30. */
export function requestTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SLIPWAY_REQUEST_TIMEOUT;
  if (raw === undefined || raw === '') return 30_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new InputError(`SLIPWAY_REQUEST_TIMEOUT="${raw}" must be a number of seconds between 0 and 3600`, { hint: 'e.g. SLIPWAY_REQUEST_TIMEOUT=30' });
  }
  return seconds * 1000;
}

/**
 * `source`: the snapshot already being opened (cli/early-source.ts), when the command started it;
 * `build`: the running build of slipway (Invocation.build), for the template cache.
 */
export async function createDeps(flags: CommonFlags & { insecureRegistry?: string[] }, env: NodeJS.ProcessEnv, source?: SourceRepo, build?: string): Promise<Deps> {
  const credentials = new DockerConfigCredentials(env);
  const timeoutMs = requestTimeoutMs(env);
  let registry: Registry | undefined;
  let engine: ImageEngine | undefined;
  let layers: LayerStore | undefined;
  let templates: TemplateCache | null | undefined;
  return {
    source: source ?? new GitSourceRepo(),
    reporter: await createReporter({ color: flags.color, verbose: flags.verbose, json: flags.output === 'json', stream: process.stderr, env }),
    get registry() {
      registry ??= new RegistryClient({ credentials, insecureRegistries: flags.insecureRegistry ?? [], timeoutMs });
      return registry;
    },
    // Connects to nothing until a build is needed: a no-op build never talks to Docker.
    get engine() {
      engine ??= new DockerEngine(env);
      return engine;
    },
    get layers() {
      if (!layers) {
        const dir = cacheDir(env);
        layers = dir ? new FileLayerStore(dir, GZIP_SCHEME) : new Map();
      }
      return layers;
    },
    get templates() {
      if (templates === undefined) {
        const dir = cacheDir(env);
        templates = dir && build && BUILD.test(build) ? new FileTemplateCache(join(dir, 'templates'), build) : null;
      }
      return templates ?? undefined;
    },
  };
}

/** The cluster client, connected on first use; `close` frees its sockets so the process can exit. */
export function clusterFactory(flags: ClusterFlags, env: NodeJS.ProcessEnv): { cluster: () => Promise<Cluster>; close: () => void } {
  let made: Promise<Cluster & { close(): void }> | undefined;
  return {
    cluster: () => {
      made ??= (async () => {
        const [{ connect }, { KubeHttp }, { KubeCluster }] = await Promise.all([
          import('../adapters/kube/config.js'),
          import('../adapters/kube/http.js'),
          import('../adapters/kube/cluster.js'),
        ]);
        const connection = await connect({ kubeconfig: flags.kubeconfig, context: flags.kubeContext }, env);
        return new KubeCluster(new KubeHttp(connection, { timeoutMs: requestTimeoutMs(env) }));
      })();
      return made;
    },
    close: () => void made?.then((c) => c.close(), () => undefined),
  };
}
