// The authorization and identity APIs: SelfSubjectAccessReview, SelfSubjectRulesReview,
// SubjectAccessReview, LocalSubjectAccessReview (authorization.k8s.io/v1), SelfSubjectReview and
// TokenReview (authentication.k8s.io/v1). Nothing is stored: a create answers with the status the
// authorizer gives. kubesim has two users: the admin (system:masters, everything) and the
// read-only user (get, list and watch, plus the self reviews every authenticated user may create).
import { ApiError, badRequest } from './status.js';
import type { Obj } from './store.js';

export type User = 'admin' | 'readonly';

const USERS: Record<User, { username: string; groups: string[] }> = {
  admin: { username: 'kubesim-admin', groups: ['system:masters', 'system:authenticated'] },
  readonly: { username: 'kubesim-readonly', groups: ['system:authenticated'] },
};

export const REVIEW_KINDS = new Set(['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectReview', 'TokenReview']);

export const usernameOf = (user: User) => USERS[user].username;

const READ_VERBS = new Set(['get', 'list', 'watch']);
const SELF_REVIEWS = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

/** What the authorizer says about a user doing something (RBAC's reasons for the two bindings). */
export function authorize(user: User | undefined, attributes: Obj): { allowed: boolean; reason?: string } {
  if (user === 'admin') return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "kubesim-admin" of ClusterRole "cluster-admin" to User "kubesim-admin"' };
  if (user !== 'readonly') return { allowed: false };
  const verb = String(attributes.verb ?? '');
  if (attributes.path !== undefined) return READ_VERBS.has(verb) ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "kubesim-readonly" of ClusterRole "view" to User "kubesim-readonly"' } : { allowed: false };
  const self = SELF_REVIEWS.some((r) => r.verbs.includes(verb) && r.apiGroups.includes(String(attributes.group ?? '')) && r.resources.includes(String(attributes.resource ?? '')));
  if (self) return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"' };
  if (READ_VERBS.has(verb)) return { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "kubesim-readonly" of ClusterRole "view" to User "kubesim-readonly"' };
  return { allowed: false };
}

function rules(user: User): Obj {
  if (user === 'admin') {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, ...SELF_REVIEWS],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
  return {
    resourceRules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }, ...SELF_REVIEWS],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
    incomplete: false,
  };
}

/** A review created by `user`: the request echoed with the status filled in (201). */
export function review(kind: string, body: Obj, user: User, tokens: Record<User, string>, namespace?: string): Obj {
  if (!body || typeof body !== 'object') throw badRequest('the body must be an object');
  const spec: Obj = body.spec ?? {};
  const out: Obj = { kind, apiVersion: body.apiVersion, metadata: { ...(body.metadata ?? {}), creationTimestamp: null }, spec };
  switch (kind) {
    case 'SelfSubjectAccessReview':
    case 'LocalSubjectAccessReview':
    case 'SubjectAccessReview': {
      const attributes: Obj | undefined = spec.resourceAttributes ?? (spec.nonResourceAttributes ? { ...spec.nonResourceAttributes } : undefined);
      if (!attributes) throw invalid(kind, 'spec.resourceAttributes', 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified');
      if (kind === 'LocalSubjectAccessReview' && spec.resourceAttributes?.namespace !== namespace) throw invalid(kind, 'spec.resourceAttributes.namespace', 'Invalid value: must match metadata.namespace');
      const subject = kind === 'SelfSubjectAccessReview' ? user : (Object.keys(USERS) as User[]).find((u) => USERS[u].username === spec.user);
      const decision = authorize(subject, attributes);
      out.status = { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
      return out;
    }
    case 'SelfSubjectRulesReview':
      out.status = rules(user);
      return out;
    case 'SelfSubjectReview':
      out.status = { userInfo: { username: USERS[user].username, groups: USERS[user].groups } };
      return out;
    case 'TokenReview': {
      const who = (Object.keys(tokens) as User[]).find((u) => tokens[u] === spec.token);
      out.status = who ? { authenticated: true, user: { username: USERS[who].username, groups: USERS[who].groups }, audiences: ['https://kubernetes.default.svc.cluster.local'] } : { user: {}, error: 'invalid bearer token' };
      return out;
    }
    default:
      throw badRequest(`no review kind ${kind}`);
  }
}

const invalid = (kind: string, field: string, message: string) =>
  new ApiError(422, 'Invalid', `${kind}.authorization.k8s.io "" is invalid: ${field}: ${message}`, { group: 'authorization.k8s.io', kind, causes: [{ reason: 'FieldValueInvalid', message, field }] });
