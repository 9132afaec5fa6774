// Which cluster, as kubectl decides it: --kubeconfig, else KUBECONFIG (a list, merged), else
// ~/.kube/config, else the in-cluster service account. client-node reads the files and resolves
// credentials (tokens, client certificates, exec plugins); when nothing is found it would fall
// back to http://localhost:8080 silently, so that case is refused here first.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { RequestOptions } from 'node:https';
import { EnvironmentError, InputError } from '../../errors.js';
import { staticConnection } from './static-config.js';
import { loadExternal } from '../load-external.js';

export interface ClusterConnection {
  server: string;
  /** Where the configuration came from, for messages. */
  source: string;
  context: string;
  /** TLS material and headers for each request, from client-node. */
  httpsOptions(): Promise<RequestOptions>;
}

export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export async function connect(options: ConnectionOptions, env: NodeJS.ProcessEnv): Promise<ClusterConnection> {
  // Static credentials need no client-node (and its 0.7 s import).
  const candidates = options.kubeconfig ? [options.kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  const readable = (candidates.length ? candidates : [home]).filter((f) => existsSync(f));
  if (readable.length && !(options.kubeconfig && !existsSync(options.kubeconfig))) {
    let fast: ClusterConnection | null = null;
    try {
      fast = staticConnection(readable, options.context);
    } catch (err) {
      if (err instanceof InputError) throw err;
      fast = null; // unreadable in some way: client-node says how below
    }
    if (fast) return fast;
  }
  const { KubeConfig } = await loadExternal<typeof import('@kubernetes/client-node')>('@kubernetes/client-node');
  const kc = new KubeConfig();
  const files = options.kubeconfig ? [options.kubeconfig] : (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  let source: string;
  try {
    if (files.length) {
      const missing = files.filter((f) => !existsSync(f));
      if (options.kubeconfig && missing.length) throw new EnvironmentError(`--kubeconfig ${options.kubeconfig}: no such file`, { hint: 'pass the path of a kubeconfig file' });
      const present = files.filter((f) => existsSync(f));
      if (present.length === 0) throw noConfig(`KUBECONFIG names ${files.join(', ')}, and none exists`);
      kc.loadFromFile(present[0]!);
      for (const file of present.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
      source = present.join(delimiter);
    } else if (existsSync(join(env.HOME ?? homedir(), '.kube', 'config'))) {
      source = join(env.HOME ?? homedir(), '.kube', 'config');
      kc.loadFromFile(source);
    } else if (env.KUBERNETES_SERVICE_HOST && existsSync(IN_CLUSTER_TOKEN)) {
      kc.loadFromCluster();
      source = 'in-cluster service account';
    } else {
      throw noConfig('no kubeconfig: --kubeconfig and KUBECONFIG are not set, ~/.kube/config does not exist, and this is not a pod');
    }
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    throw new EnvironmentError(`cannot read the kubeconfig: ${(err as Error).message}`, { cause: err, hint: 'check the file with kubectl config view' });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      throw new InputError(`--kube-context ${options.context}: no such context in ${source}`, {
        hint: `contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`,
      });
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw noConfig(`the kubeconfig ${source} has no current context with a cluster${kc.getCurrentContext() ? ` (current context: ${kc.getCurrentContext()})` : ''}`);
  }
  return {
    server: cluster.server.replace(/\/+$/, ''),
    source,
    context: kc.getCurrentContext(),
    async httpsOptions() {
      const opts: RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      return opts;
    },
  };
}

function noConfig(message: string): EnvironmentError {
  return new EnvironmentError(message, {
    hint: 'pass --kubeconfig PATH or set KUBECONFIG (npm run stack -- up writes .stack/kubeconfig for the local kubesim)',
  });
}
