// kubesim against the real kubectl on the machine: apply, conflicts, get/watch/delete/patch,
// discovery, authentication.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startKubesim();
});
afterAll(async () => sim?.stop());

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: demo
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: busybox:stable
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w1
  namespace: demo
spec:
  size: 3
`;

const versions = () => sim.kubectl(['get', '-A', 'ns,cm,deploy,svc,crd,widgets', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}{"\\n"}{end}']).stdout;

describe('kubectl against kubesim', () => {
  it('apply --server-side of Namespace, ConfigMap, Deployment, Service, CRD and a custom resource; a second identical apply changes no resourceVersion', () => {
    // As against a real apiserver: kubectl maps every object before applying, so a custom
    // resource whose CRD is created by the same run fails until the next run.
    const first = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS });
    expect(first.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied');
    expect(first.stderr).toContain('no matches for kind "Widget" in version "example.com/v1"');
    const second = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual([
      'namespace/demo serverside-applied',
      'configmap/cfg serverside-applied',
      'deployment.apps/web serverside-applied',
      'service/web serverside-applied',
      'customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied',
      'widget.example.com/w1 serverside-applied',
    ]);
    const before = versions();
    expect(before).toContain('Widget/w1=');
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS }).code).toBe(0);
    expect(versions()).toBe(before);
    const crd = JSON.parse(sim.kubectl(['get', 'crd', 'widgets.example.com', '-o', 'json']).stdout);
    expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    expect(sim.kubectl(['get', 'wd', 'w1', '-n', 'demo', '-o', 'jsonpath={.spec.size}']).stdout).toBe('3');
  });

  it('a field changed by another manager conflicts; --force-conflicts takes it back', () => {
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS }).code).toBe(0);
    expect(sim.kubectl(['-n', 'demo', 'patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":5}}']).code).toBe(0);
    const conflict = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl-patch" using apps\/v1 at \S+: \.spec\.replicas$/m);
    expect(conflict.stderr).toContain('Please review the fields above--they currently have other managers.');
    const forced = sim.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: MANIFESTS });
    expect(forced.code, forced.stderr).toBe(0);
    const deploy = JSON.parse(sim.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', 'json', '--show-managed-fields']).stdout);
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.metadata.managedFields.map((m: any) => m.manager)).toEqual(['kubectl']);

    // Another apply manager with a different value conflicts too, and names that manager.
    const other = MANIFESTS.replace('replicas: 2', 'replicas: 3');
    const r = sim.kubectl(['apply', '--server-side', '--field-manager', 'ci-bot', '-f', '-'], { input: other });
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  });

  it('get -o json, -l, --field-selector, and api-resources', () => {
    expect(sim.kubectl(['create', 'namespace', 'sel']).code).toBe(0);
    for (const [name, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web']]) {
      expect(sim.kubectl(['-n', 'sel', 'create', 'configmap', name!, `--from-literal=k=${name}`]).code).toBe(0);
      expect(sim.kubectl(['-n', 'sel', 'label', 'configmap', name!, `tier=${tier}`]).code).toBe(0);
    }
    const json = JSON.parse(sim.kubectl(['-n', 'sel', 'get', 'configmap', 'a', '-o', 'json']).stdout);
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'sel', labels: { tier: 'web' } }, data: { k: 'a' } });
    expect(json.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const names = (args: string[]) => sim.kubectl(['-n', 'sel', 'get', 'configmap', '-o', 'name', ...args]).stdout.trim().split('\n').filter(Boolean);
    expect(names(['-l', 'tier=web'])).toEqual(['configmap/a', 'configmap/c']);
    expect(names(['-l', 'tier in (db)'])).toEqual(['configmap/b']);
    expect(names(['-l', 'tier!=web,tier'])).toEqual(['configmap/b']);
    expect(names(['--field-selector', 'metadata.name=c'])).toEqual(['configmap/c']);
    expect(sim.kubectl(['-n', 'sel', 'get', 'configmap', '--field-selector', 'data.k=a']).stderr).toContain('is not a known field selector');
    const resources = sim.kubectl(['api-resources', '--no-headers']).stdout;
    expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(resources).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
  });

  it('kubectl scale owns .spec.replicas through the scale subresource: a later apply conflicts naming it, --force-conflicts takes it back', () => {
    const deployment = (replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: scaled, namespace: demo}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: scaled}}\n  template:\n    metadata: {labels: {app: scaled}}\n    spec: {containers: [{name: c, image: busybox}]}\n`;
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS }).code).toBe(0);
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment(2) }).code).toBe(0);
    expect(sim.kubectl(['-n', 'demo', 'scale', 'deployment/scaled', '--replicas=4'])).toMatchObject({ code: 0, stdout: 'deployment.apps/scaled scaled\n' });
    const fields = () => JSON.parse(sim.kubectl(['-n', 'demo', 'get', 'deploy', 'scaled', '-o', 'json', '--show-managed-fields']).stdout).metadata.managedFields;
    expect(fields()).toContainEqual(expect.objectContaining({ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }));
    expect(fields().find((e: any) => e.operation === 'Apply').fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    const conflict = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment(3) });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl" using apps\/v1 at \S+ with subresource "scale": \.spec\.replicas$/m);
    expect(sim.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: deployment(3) }).code).toBe(0);
    expect(sim.kubectl(['-n', 'demo', 'get', 'deploy', 'scaled', '-o', 'jsonpath={.spec.replicas}']).stdout).toBe('3');
    expect(fields().some((e: any) => e.subresource === 'scale')).toBe(false);
    const scale = JSON.parse(sim.kubectl(['-n', 'demo', 'get', '--raw', '/apis/apps/v1/namespaces/demo/deployments/scaled/scale']).stdout);
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 } });
  });

  it('get all (the "all" category), HPA, PDB and NetworkPolicy objects, and apply --prune with kubectl\'s default allow-list', () => {
    expect(sim.kubectl(['create', 'namespace', 'cat']).code).toBe(0);
    const objects = (cms: string[]) =>
      [
        ...cms.map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}, labels: {set: p}}\ndata: {k: ${n}}\n`),
        'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web, labels: {set: p}}\nspec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 3}\n',
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, labels: {set: p}}\nspec: {minAvailable: 1, selector: {matchLabels: {app: web}}}\n',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, labels: {set: p}}\nspec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {set: p}}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n',
      ].join('---\n');
    const first = sim.kubectl(['-n', 'cat', 'apply', '-f', '-'], { input: objects(['a', 'b']) });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(sim.kubectl(['-n', 'cat', 'get', 'hpa', 'web', '-o', 'json']).stdout).spec.maxReplicas).toBe(3);
    expect(sim.kubectl(['-n', 'cat', 'get', 'pdb,netpol', '-o', 'name']).stdout.trim().split('\n')).toEqual(['poddisruptionbudget.policy/web', 'networkpolicy.networking.k8s.io/web']);
    const all = sim.kubectl(['-n', 'cat', 'get', 'all', '-o', 'name']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('service/web');
    expect(all.stdout).toContain('horizontalpodautoscaler.autoscaling/web');
    expect(all.stdout).not.toContain('configmap/');
    // b is no longer in the file: --prune deletes it, over kubectl's default list of kinds.
    const pruned = sim.kubectl(['-n', 'cat', 'apply', '--prune', '-l', 'set=p', '-f', '-'], { input: objects(['a']) });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain('configmap/b pruned');
    expect(sim.kubectl(['-n', 'cat', 'get', 'configmap', '-l', 'set=p', '-o', 'name']).stdout.trim()).toBe('configmap/a');
  });

  it('get -w sees a later change', async () => {
    expect(sim.kubectl(['create', 'namespace', 'watched']).code).toBe(0);
    const child = spawn('kubectl', ['-n', 'watched', 'get', 'configmap', '-w', '-o', 'name'], { env: { ...process.env, KUBECONFIG: sim.kubeconfig } });
    let out = '';
    const seen = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('configmap/later')) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(sim.kubectl(['-n', 'watched', 'create', 'configmap', 'later', '--from-literal=x=y']).code).toBe(0);
    await seen;
    child.kill();
    expect(out).toContain('configmap/later');
  });

  it('delete removes objects it owns (garbage collection), and foreground deletion waits for them', async () => {
    expect(sim.kubectl(['create', 'namespace', 'gc']).code).toBe(0);
    expect(sim.kubectl(['-n', 'gc', 'create', 'configmap', 'owner']).code).toBe(0);
    const uid = sim.kubectl(['-n', 'gc', 'get', 'configmap', 'owner', '-o', 'jsonpath={.metadata.uid}']).stdout;
    const dependent = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dependent\n  namespace: gc\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: ${uid}}]\n`;
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: dependent }).code).toBe(0);
    expect(sim.kubectl(['-n', 'gc', 'delete', 'configmap', 'owner']).stdout).toContain('configmap "owner" deleted');
    for (let i = 0; i < 50 && sim.kubectl(['-n', 'gc', 'get', 'configmap', '-o', 'name']).stdout.includes('dependent'); i++) await new Promise((r) => setTimeout(r, 100));
    // Only the controller manager's kube-root-ca.crt is left, as on a real cluster.
    expect(sim.kubectl(['-n', 'gc', 'get', 'configmap', '-o', 'name']).stdout).toBe('configmap/kube-root-ca.crt\n');

    expect(sim.kubectl(['-n', 'gc', 'create', 'configmap', 'owner2']).code).toBe(0);
    const uid2 = sim.kubectl(['-n', 'gc', 'get', 'configmap', 'owner2', '-o', 'jsonpath={.metadata.uid}']).stdout;
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: dependent.replace(uid, uid2).replace('name: owner,', 'name: owner2,') }).code).toBe(0);
    const r = sim.kubectl(['-n', 'gc', 'delete', 'configmap', 'owner2', '--cascade=foreground']);
    expect(r.code, r.stderr).toBe(0);
    expect(sim.kubectl(['-n', 'gc', 'get', 'configmap', '-o', 'name']).stdout).toBe('configmap/kube-root-ca.crt\n');
  });

  it('patch --type merge, json and strategic', () => {
    expect(sim.kubectl(['apply', '--server-side', '-f', '-'], { input: MANIFESTS }).code).toBe(0);
    const get = (path: string) => sim.kubectl(['-n', 'demo', 'get', 'deploy', 'web', '-o', `jsonpath=${path}`]).stdout;
    const generation = Number(get('{.metadata.generation}'));
    expect(sim.kubectl(['-n', 'demo', 'patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"team":"shop"}}}']).code).toBe(0);
    expect(get('{.metadata.labels.team}')).toBe('shop');
    expect(sim.kubectl(['-n', 'demo', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/spec/template/spec/containers/0/args","value":["-v"]}]']).code).toBe(0);
    expect(get('{.spec.template.spec.containers[0].args[0]}')).toBe('-v');
    // Strategic: the container list merges by name (the port stays), env merges by name.
    const strategic = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"busybox:1.36","env":[{"name":"A","value":"1"}]}]}}}}';
    expect(sim.kubectl(['-n', 'demo', 'patch', 'deploy', 'web', '--type', 'strategic', '-p', strategic]).code).toBe(0);
    expect(get('{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.template.spec.containers[0].env[0].name}')).toBe('busybox:1.36 8080 A');
    // The label patch leaves the generation alone; the two spec patches each bump it.
    expect(Number(get('{.metadata.generation}'))).toBe(generation + 2);
    const bad = sim.kubectl(['-n', 'demo', 'patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/nope/x","value":1}]']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('doc is missing path');
  });

  it('authentication: no token is 401, the read-only user gets 403 on writes', async () => {
    const noToken = await sim.call('GET', '/api/v1/namespaces', undefined, { token: null });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    expect(sim.kubectl(['--token', 'wrong', 'get', 'namespaces']).stderr).toContain('error: You must be logged in to the server (Unauthorized)');

    expect(sim.kubectl(['get', 'namespace', 'demo', '-o', 'name'], { context: 'kubesim-readonly' }).stdout.trim()).toBe('namespace/demo');
    const denied = sim.kubectl(['delete', 'namespace', 'demo'], { context: 'kubesim-readonly' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('Error from server (Forbidden): namespaces "demo" is forbidden: User "kubesim-readonly" cannot delete resource "namespaces" in API group "" at the cluster scope');
    const create = sim.kubectl(['-n', 'default', 'create', 'configmap', 'nope'], { context: 'kubesim-readonly' });
    expect(create.stderr).toContain('cannot create resource "configmaps" in API group "" in the namespace "default"');
  });
});
