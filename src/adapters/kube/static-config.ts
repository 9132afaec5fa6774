// The common kubeconfig, read without client-node: a token (or token file) or a client
// certificate, a CA, a server. client-node costs ~0.7 s to import (its generated API comes with
// it), most of a no-op converge; it stays the reader for everything else (exec and auth-provider
// plugins, proxies, in-cluster), so `connect` returns null here whenever it is needed.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RequestOptions } from 'node:https';
import { parse } from 'yaml';
import { readYamlDocuments } from '../../core/yaml.js';
import { InputError } from '../../errors.js';
import type { ClusterConnection } from './config.js';

type Named<T> = { name?: string } & Record<string, T | undefined>;
interface Entry {
  file: string;
  value: Record<string, unknown>;
}

const USER_KEYS = new Set(['token', 'tokenFile', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data']);
const CLUSTER_KEYS = new Set(['server', 'certificate-authority', 'certificate-authority-data', 'insecure-skip-tls-verify', 'tls-server-name', 'extensions']);

/** What the library's parse gives, without its document model when the file is of the usual kind. */
function readYaml(text: string): unknown {
  const plain = readYamlDocuments(text, '1.2');
  return plain && plain.length <= 1 ? (plain[0] ?? null) : parse(text);
}

/** The connection when every piece of it is static; null when client-node must read it. */
export function staticConnection(files: string[], wanted: string | undefined): ClusterConnection | null {
  const clusters = new Map<string, Entry>();
  const users = new Map<string, Entry>();
  const contexts = new Map<string, Entry>();
  let current: string | undefined;
  for (const file of files) {
    let doc: Record<string, unknown>;
    try {
      doc = (readYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch {
      return null; // let client-node report what is wrong with it
    }
    // Merged as kubectl merges: the first file that names an entry wins.
    const take = (list: unknown, key: string, into: Map<string, Entry>) => {
      for (const item of (Array.isArray(list) ? list : []) as Named<Record<string, unknown>>[]) {
        if (typeof item?.name === 'string' && !into.has(item.name) && item[key] && typeof item[key] === 'object') into.set(item.name, { file, value: item[key]! });
      }
    };
    take(doc.clusters, 'cluster', clusters);
    take(doc.users, 'user', users);
    take(doc.contexts, 'context', contexts);
    if (!current && typeof doc['current-context'] === 'string' && doc['current-context']) current = doc['current-context'] as string;
  }
  const name = wanted ?? current;
  if (wanted && !contexts.has(wanted)) {
    throw new InputError(`--kube-context ${wanted}: no such context in ${files.join(':')}`, { hint: `contexts: ${[...contexts.keys()].join(', ') || 'none'}` });
  }
  const context = name ? contexts.get(name) : undefined;
  const cluster = context ? clusters.get(String(context.value.cluster)) : undefined;
  const user = context && context.value.user !== undefined ? users.get(String(context.value.user)) : undefined;
  if (!name || !context || !cluster || typeof cluster.value.server !== 'string') return null;
  if (Object.keys(cluster.value).some((k) => !CLUSTER_KEYS.has(k))) return null;
  if (user && Object.keys(user.value).some((k) => !USER_KEYS.has(k))) return null;

  const fileOrData = (entry: Entry, key: string): Buffer | undefined => {
    const data = entry.value[`${key}-data`];
    if (typeof data === 'string') return Buffer.from(data, 'base64');
    const path = entry.value[key];
    if (typeof path === 'string') return readFileSync(isAbsolute(path) ? path : resolve(dirname(entry.file), path));
    return undefined;
  };
  const options: RequestOptions = {};
  const ca = fileOrData(cluster, 'certificate-authority');
  if (ca) options.ca = ca;
  if (cluster.value['insecure-skip-tls-verify'] === true) options.rejectUnauthorized = false;
  if (typeof cluster.value['tls-server-name'] === 'string') options.servername = cluster.value['tls-server-name'];
  const headers: Record<string, string> = {};
  if (user) {
    const cert = fileOrData(user, 'client-certificate');
    const key = fileOrData(user, 'client-key');
    if (cert) options.cert = cert;
    if (key) options.key = key;
    const tokenFile = user.value.tokenFile;
    const token = typeof user.value.token === 'string' ? user.value.token : typeof tokenFile === 'string' ? readFileSync(isAbsolute(tokenFile) ? tokenFile : resolve(dirname(user.file), tokenFile), 'utf8').trim() : undefined;
    if (token) headers.Authorization = `Bearer ${token}`;
  }
  options.headers = headers;
  return {
    server: (cluster.value.server as string).replace(/\/+$/, ''),
    source: files.join(':'),
    context: name,
    httpsOptions: async () => options,
  };
}
