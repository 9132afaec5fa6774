// What real clients need beyond the REST basics: field validation with the schemas of real
// Kubernetes (kubectl's default Strict, Warn, server-side apply's typed conversion), `kubectl
// explain`, protobuf bodies (kubectl's typed commands, Helm's release storage), and the
// authorization and identity APIs behind `kubectl auth`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startKubesim();
});
afterAll(async () => sim?.stop());

const deployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  ${extra}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: busybox, colour: red}]
`;

describe('field validation', () => {
  it('server-side apply of an unknown field fails the typed conversion, naming every field', () => {
    const r = sim.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('ssa', 'bogus: 1') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server: failed to create typed patch object (default/ssa; apps/v1, Kind=Deployment): errors:');
    expect(r.stderr).toContain('  .spec.bogus: field not declared in schema');
    expect(r.stderr).toContain('  .spec.template.spec.containers[name="c"].colour: field not declared in schema');
    expect(sim.kubectl(['get', 'deploy', 'ssa']).code).toBe(1);
  });

  it("kubectl's default (Strict) refuses a create with the strict decoding error; Warn creates it without the fields", () => {
    const strict = sim.kubectl(['create', '-f', '-'], { input: deployment('strict', 'bogus: 1') });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus", unknown field "spec.template.spec.containers[0].colour"');
    const warn = sim.kubectl(['create', '--validate=warn', '-f', '-'], { input: deployment('warn', 'bogus: 1') });
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stderr).toContain('Warning: unknown field "spec.bogus"');
    const stored = JSON.parse(sim.kubectl(['get', 'deploy', 'warn', '-o', 'json']).stdout);
    expect(stored.spec.bogus).toBeUndefined();
    expect(stored.spec.template.spec.containers[0].colour).toBeUndefined();
  });

  it('duplicate fields: 400 under Strict, a Warning header under the server default, silence under Ignore', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","namespace":"default"},"data":{"a":"1","a":"2"}}';
    const strict = await sim.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.a"');
    const warn = await sim.call('POST', '/api/v1/namespaces/default/configmaps', body);
    expect(warn.status).toBe(201);
    expect(warn.headers.warning).toBe('299 - "duplicate field \\"data.a\\""');
    const ignore = await sim.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', body.replace('"dup"', '"dup2"'));
    expect(ignore.status).toBe(201);
    expect(ignore.headers.warning).toBeUndefined();
    expect((await sim.call('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Sometimes', body)).status).toBe(400);
  });

  it('server-side apply reads JSON and YAML bodies alike; a repeated key is 400 under Strict, a warning by default', async () => {
    const path = (name: string, validation = '') => `/api/v1/namespaces/default/configmaps/${name}?fieldManager=t${validation}`;
    const apply = (name: string, body: string, validation = '') => sim.call('PATCH', path(name, validation), body, { contentType: 'application/apply-patch+yaml' });
    const json = (name: string, data: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":${data}}`;
    const yaml = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${data}`;
    for (const [name, body] of [['apply-json', json('apply-json', '{"a":"1","b":"x: y"}')], ['apply-yaml', yaml('apply-yaml', '  a: "1"\n  b: "x: y"\n')], ['apply-flow', `  ${json('apply-flow', '{a: "1", b: "x: y"}')}`]] as const) {
      const r = await apply(name, body, '&fieldValidation=Strict');
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.data).toEqual({ a: '1', b: 'x: y' });
    }
    const strict = await apply('apply-dup', json('apply-dup', '{"a":"1","a":"2"}'), '&fieldValidation=Strict');
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('key "a" already set in map');
    const yamlStrict = await apply('apply-dup', yaml('apply-dup', '  a: "1"\n  a: "2"\n'), '&fieldValidation=Strict');
    expect(yamlStrict.status).toBe(400);
    expect(yamlStrict.body.message).toContain('line 7: key "a" already set in map');
    expect((await sim.call('GET', '/api/v1/namespaces/default/configmaps/apply-dup')).status).toBe(404); // refused before it was written
    const warn = await apply('apply-dup', json('apply-dup', '{"a":"1","a":"2"}'));
    expect(warn.status).toBe(201);
    expect(warn.body.data).toEqual({ a: '2' });
    expect(warn.headers.warning).toContain('key \\"a\\" already set in map');
  });

  it('a merge patch adding an unknown field under Strict is 422 with the patched object', async () => {
    expect(sim.kubectl(['create', 'configmap', 'patched', '--from-literal=a=1']).code).toBe(0);
    const r = await sim.call('PATCH', '/api/v1/namespaces/default/configmaps/patched?fieldValidation=Strict', { spec: { x: 1 } }, { contentType: 'application/merge-patch+json' });
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "spec"$/);
  });

  it('kubectl explain reads the real schemas over OpenAPI v3', () => {
    const r = sim.kubectl(['explain', 'deployment.spec.strategy']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('FIELD: strategy <DeploymentStrategy>');
    expect(r.stdout).toContain('The deployment strategy to use to replace existing pods with new ones.');
    expect(r.stdout).toMatch(/rollingUpdate\s+<RollingUpdateDeployment>/);
    expect(sim.kubectl(['explain', 'hpa.spec.metrics', '--api-version=autoscaling/v2']).stdout).toContain('<[]MetricSpec>');
  });

  it("the OpenAPI v3 root names each group-version's document by a hash of its content: a CRD change gives a new one", async () => {
    const crd = (type: string) => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type } } } } } } }] },
    });
    const url = async () => (await sim.call('GET', '/openapi/v3')).body.paths['apis/example.com/v1']?.serverRelativeURL as string | undefined;
    const core = (await sim.call('GET', '/openapi/v3')).body.paths['api/v1'].serverRelativeURL;
    expect(await url()).toBeUndefined();
    const apply = (body: unknown) => sim.call('PATCH', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com?fieldManager=t&force=true', body, { contentType: 'application/apply-patch+yaml' });
    expect((await apply(crd('integer'))).status).toBe(201);
    const first = await url();
    expect(first).toMatch(/^\/openapi\/v3\/apis\/example\.com\/v1\?hash=[0-9A-F]{128}$/);
    expect((await sim.call('GET', first!)).body.components.schemas['com.example.v1.Gadget'].properties.spec.properties.size.type).toBe('integer');
    expect((await apply(crd('string'))).status).toBe(200);
    expect(await url()).not.toBe(first);
    expect((await sim.call('GET', '/openapi/v3')).body.paths['api/v1'].serverRelativeURL).toBe(core);
  });

  it('and over OpenAPI v2 (gnostic protobuf), as kubectl explain --output=plaintext-openapiv2 reads it', () => {
    const r = sim.kubectl(['explain', 'deployment.spec.strategy', '--output=plaintext-openapiv2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('RESOURCE: strategy <Object>');
    expect(r.stdout).toMatch(/rollingUpdate\t<Object>\n\s+Rolling update config params/);
  });
});

describe('protobuf', () => {
  it("kubectl's typed create commands (protobuf bodies) create what they say", () => {
    expect(sim.kubectl(['create', 'deployment', 'proto', '--image=busybox', '--replicas=0', '--port=8080']).stdout).toBe('deployment.apps/proto created\n');
    const d = JSON.parse(sim.kubectl(['get', 'deploy', 'proto', '-o', 'json']).stdout);
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.template.metadata).toEqual({ creationTimestamp: null, labels: { app: 'proto' } });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'busybox', image: 'busybox', ports: [{ containerPort: 8080, protocol: 'TCP' }] });
    expect(d.spec.template.spec.containers[0].restartPolicy).toBeUndefined();
    expect(sim.kubectl(['create', 'service', 'clusterip', 'proto', '--tcp=80:8080']).code).toBe(0);
    expect(JSON.parse(sim.kubectl(['get', 'svc', 'proto', '-o', 'json']).stdout).spec.ports).toEqual([{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    expect(sim.kubectl(['create', 'job', 'proto', '--image=busybox']).code).toBe(0);
    expect(sim.kubectl(['create', 'secret', 'generic', 'proto', '--from-literal=k=v']).code).toBe(0);
    expect(JSON.parse(sim.kubectl(['get', 'secret', 'proto', '-o', 'json']).stdout).data).toEqual({ k: 'dg==' });
  });

  it('a DELETE with a protobuf DeleteOptions body, as Helm deletes its release Secrets', async () => {
    expect(sim.kubectl(['create', 'secret', 'generic', 'sh.helm.release.v1.x.v1', '--from-literal=release=x']).code).toBe(0);
    // "k8s\0" + runtime.Unknown{typeMeta{apiVersion "v1", kind "DeleteOptions"}, raw "", contentEncoding "", contentType ""}.
    const typeMeta = Buffer.concat([Buffer.from([0x0a, 2]), Buffer.from('v1'), Buffer.from([0x12, 13]), Buffer.from('DeleteOptions')]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, 0, 0x1a, 0, 0x22, 0])]);
    const r = await sim.call('DELETE', '/api/v1/namespaces/default/secrets/sh.helm.release.v1.x.v1', body, { contentType: 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf, application/json' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.kubernetes.protobuf');
    expect(r.raw.subarray(0, 4).toString('latin1')).toBe('k8s\0');
    expect(sim.kubectl(['get', 'secret', 'sh.helm.release.v1.x.v1']).code).toBe(1);
  });

  it('answers in protobuf when asked first, JSON otherwise; a garbled body is 400', async () => {
    const asked = await sim.call('GET', '/api/v1/namespaces/default', undefined, { accept: 'application/vnd.kubernetes.protobuf, application/json' });
    expect(asked.headers['content-type']).toBe('application/vnd.kubernetes.protobuf');
    expect(asked.raw.includes(Buffer.from('Namespace'))).toBe(true);
    const json = await sim.call('GET', '/api/v1/namespaces/default', undefined, { accept: 'application/json, application/vnd.kubernetes.protobuf' });
    expect(json.body.kind).toBe('Namespace');
    const garbled = await sim.call('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('k8s\0\x0a\xff\xff', 'latin1'), { contentType: 'application/vnd.kubernetes.protobuf' });
    expect(garbled.status).toBe(400);
  });
});

describe('kubectl auth', () => {
  it('can-i answers truthfully for the admin and the read-only user', () => {
    expect(sim.kubectl(['auth', 'can-i', 'create', 'deployments'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(sim.kubectl(['auth', 'can-i', 'create', 'deployments', '--context', 'kubesim-readonly'])).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(sim.kubectl(['auth', 'can-i', 'list', 'pods', '--context', 'kubesim-readonly'])).toMatchObject({ code: 0, stdout: 'yes\n' });
    const list = sim.kubectl(['auth', 'can-i', '--list', '--context', 'kubesim-readonly']);
    expect(list.stdout).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[get list watch\]/);
  });

  it('whoami names the user and its groups', () => {
    expect(sim.kubectl(['auth', 'whoami']).stdout).toBe('ATTRIBUTE   VALUE\nUsername    kubesim-admin\nGroups      [system:masters system:authenticated]\n');
    expect(sim.kubectl(['auth', 'whoami', '--context', 'kubesim-readonly']).stdout).toContain('Username    kubesim-readonly');
  });
});
