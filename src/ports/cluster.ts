// The Kubernetes API as slipway needs it: server-side apply (with dry run), reads, deletes,
// watches as async iterables, and container logs. Objects are plain JSON.

export interface KubeMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  uid?: string;
  generation?: number;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  [key: string]: unknown;
}

/** Names one object; `namespace` is absent for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
  object: KubeObject;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

export interface Cluster {
  /** The API server URL, for messages. */
  readonly server: string;
  /** Server-side apply as field manager `slipway` with force; `dryRun` validates and writes nothing. */
  apply(object: KubeObject, options?: { dryRun?: boolean; signal?: AbortSignal }): Promise<KubeObject>;
  get(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | null>;
  list(apiVersion: string, kind: string, namespace: string | undefined, options?: ListOptions, signal?: AbortSignal): Promise<ObjectList>;
  create(object: KubeObject, signal?: AbortSignal): Promise<KubeObject>;
  /** Full update (PUT), guarded by the object's resourceVersion: a 409 means someone else wrote first. */
  replace(object: KubeObject, signal?: AbortSignal): Promise<KubeObject>;
  /** Deletes with background propagation; false when it was already gone. */
  delete(ref: ObjectRef, signal?: AbortSignal): Promise<boolean>;
  /**
   * Events after `resourceVersion`. Ends when the server closes the stream; throws
   * `WatchExpiredError` on 410 (the caller lists again).
   */
  watch(apiVersion: string, kind: string, namespace: string | undefined, options: ListOptions & { resourceVersion: string }, signal?: AbortSignal): AsyncIterable<WatchEvent>;
  logs(namespace: string, pod: string, container: string, options: { tailLines: number; previous?: boolean }, signal?: AbortSignal): Promise<string>;
  isNamespaced(apiVersion: string, kind: string, signal?: AbortSignal): Promise<boolean>;
}

/** A watch's resourceVersion is too old (HTTP 410 / ERROR event with code 410): list again. */
export class WatchExpiredError extends Error {}

export const refOf = (o: KubeObject): ObjectRef => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name });

export const describeRef = (r: ObjectRef): string => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
