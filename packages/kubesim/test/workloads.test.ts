// kubesim part 2 (fake kubelet): Deployments, Jobs, the scheduler and the kubelet's states,
// events and logs, checked with the real kubectl.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubesim, type RunningKubesim } from '../src/testing.js';
import { testEngine } from './engine.js';

let sim: RunningKubesim;
let image: string;
beforeAll(async () => {
  // An image the stack's registry really holds: the fake kubelet checks it with a HEAD.
  const env = { ...process.env, DOCKER_HOST: testEngine().dockerHost };
  image = `${testEngine().registry}/kubesim/busybox:stable`;
  execFileSync('docker', ['tag', 'busybox:stable', image], { env });
  execFileSync('docker', ['push', '-q', image], { env });
  sim = await startKubesim(['--backoff-scale', '0.05']);
});
afterAll(async () => sim?.stop());

function deployment(name: string, options: { image?: string; replicas?: number; annotations?: Record<string, string>; progressDeadlineSeconds?: number; probe?: boolean } = {}): string {
  const annotations = Object.entries(options.annotations ?? {}).map(([k, v]) => `        ${k}: ${JSON.stringify(v)}`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${options.replicas ?? 2}
  ${options.progressDeadlineSeconds ? `progressDeadlineSeconds: ${options.progressDeadlineSeconds}` : ''}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
      ${annotations ? `annotations:\n${annotations}` : ''}
    spec:
      containers:
        - name: app
          image: ${options.image ?? image}
          ${options.probe === false ? '' : 'readinessProbe:\n            httpGet: {path: /, port: 8080}\n            periodSeconds: 1'}
`;
}

const apply = (yaml: string, ns: string) => {
  const r = sim.kubectl(['-n', ns, 'apply', '--server-side', '-f', '-'], { input: yaml });
  expect(r.code, r.stderr).toBe(0);
};
const ns = (name: string) => expect(sim.kubectl(['create', 'namespace', name]).code).toBe(0);
const until = async (check: () => boolean, what: string, tries = 100) => {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('Deployments', () => {
  it('kubectl rollout status succeeds after a create and after an image change', () => {
    ns('rollout');
    apply(deployment('web', { replicas: 3 }), 'rollout');
    const first = sim.kubectl(['-n', 'rollout', 'rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('deployment "web" successfully rolled out');
    const rs1 = sim.kubectl(['-n', 'rollout', 'get', 'rs', '-o', 'name']).stdout.trim();

    apply(deployment('web', { replicas: 3, annotations: { 'example.com/version': '2' } }), 'rollout');
    const second = sim.kubectl(['-n', 'rollout', 'rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('deployment "web" successfully rolled out');
    const deploy = JSON.parse(sim.kubectl(['-n', 'rollout', 'get', 'deploy', 'web', '-o', 'json']).stdout);
    expect(deploy.status).toMatchObject({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(deploy.status.conditions.map((c: any) => [c.type, c.status, c.reason])).toEqual([
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ['Available', 'True', 'MinimumReplicasAvailable'],
    ]);
    // The old ReplicaSet stays (history), scaled to 0; its pods are gone.
    const sets = JSON.parse(sim.kubectl(['-n', 'rollout', 'get', 'rs', '-o', 'json']).stdout).items;
    expect(sets).toHaveLength(2);
    expect(sets.find((s: any) => `replicaset.apps/${s.metadata.name}` === rs1).spec.replicas).toBe(0);
    expect(sets.every((s: any) => s.metadata.name.startsWith('web-') && s.metadata.labels['pod-template-hash'] && s.metadata.ownerReferences[0].kind === 'Deployment')).toBe(true);
    const events = sim.kubectl(['-n', 'rollout', 'get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{.message}{"\\n"}{end}']).stdout;
    expect(events).toMatch(/^ScalingReplicaSet Scaled up replica set web-\w+ from 0 to 1$/m);
    expect(events).toMatch(/^ScalingReplicaSet Scaled down replica set web-\w+ from 3 to 2$/m);
  });

  it('pods: names with the API server\'s random suffix alphabet, hostIP from their node', () => {
    ns('names');
    apply(deployment('web', { replicas: 2, probe: false }), 'names');
    expect(sim.kubectl(['-n', 'names', 'rollout', 'status', 'deployment/web', '--timeout=30s']).code).toBe(0);
    const pods = JSON.parse(sim.kubectl(['-n', 'names', 'get', 'pods', '-o', 'json']).stdout).items as any[];
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const node = JSON.parse(sim.kubectl(['get', 'node', pod.spec.nodeName, '-o', 'json']).stdout);
      const internal = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      expect(pod.status.hostIP).toBe(internal);
      expect(pod.status.hostIPs).toEqual([{ ip: internal }]);
    }
  });

  it('revisions: rollout history lists them, rollout undo reactivates the old ReplicaSet under the next revision', () => {
    ns('undo');
    apply(deployment('web', { replicas: 2 }), 'undo');
    expect(sim.kubectl(['-n', 'undo', 'rollout', 'status', 'deployment/web', '--timeout=30s']).code).toBe(0);
    apply(deployment('web', { replicas: 2, annotations: { 'example.com/version': '2' } }), 'undo');
    expect(sim.kubectl(['-n', 'undo', 'rollout', 'status', 'deployment/web', '--timeout=30s']).code).toBe(0);
    const revision = () => sim.kubectl(['-n', 'undo', 'get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']).stdout;
    expect(revision()).toBe('2');
    const history = sim.kubectl(['-n', 'undo', 'rollout', 'history', 'deployment/web']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/^1\s+<none>$/m);
    expect(history.stdout).toMatch(/^2\s+<none>$/m);

    const undo = sim.kubectl(['-n', 'undo', 'rollout', 'undo', 'deployment/web']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain('deployment.apps/web rolled back');
    expect(sim.kubectl(['-n', 'undo', 'rollout', 'status', 'deployment/web', '--timeout=30s']).code).toBe(0);
    // No third ReplicaSet: the first one is back, as revision 3, remembering it was 1.
    const sets = JSON.parse(sim.kubectl(['-n', 'undo', 'get', 'rs', '-o', 'json']).stdout).items as any[];
    expect(sets).toHaveLength(2);
    const active = sets.find((rs) => rs.spec.replicas === 2);
    expect(active.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(active.metadata.annotations['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(active.spec.template.metadata.annotations ?? {}).not.toHaveProperty(['example.com/version']);
    expect(revision()).toBe('3');
    expect(sim.kubectl(['-n', 'undo', 'rollout', 'history', 'deployment/web']).stdout).toMatch(/^2\s+<none>\n3\s+<none>/m);
  });

  it('a missing image: rollout status keeps waiting, pods show ImagePullBackOff with the kubelet events', async () => {
    ns('pull');
    apply(deployment('broken', { image: `${testEngine().registry}/kubesim/nope:1`, replicas: 1 }), 'pull');
    const waiting = sim.kubectl(['-n', 'pull', 'rollout', 'status', 'deployment/broken', '--timeout=2s']);
    expect(waiting.code).toBe(1);
    expect(waiting.stdout).toContain('Waiting for deployment "broken" rollout to finish: 0 of 1 updated replicas are available...');
    expect(waiting.stderr).toContain('timed out waiting for the condition');
    await until(() => sim.kubectl(['-n', 'pull', 'get', 'pods']).stdout.includes('ImagePullBackOff'), 'ImagePullBackOff');
    const pod = sim.kubectl(['-n', 'pull', 'get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}']).stdout;
    const events = sim.kubectl(['-n', 'pull', 'get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}']).stdout.trim().split('\n');
    expect(events.slice(0, 6).map((e) => e.split(' ').slice(0, 2).join(' '))).toEqual(['Normal Scheduled', 'Normal Pulling', 'Warning Failed', 'Warning Failed', 'Normal BackOff', 'Warning Failed']);
    expect(events[2]).toContain(`Failed to pull image "${testEngine().registry}/kubesim/nope:1":`);
    expect(events[3]).toBe('Warning Failed Error: ErrImagePull');
    expect(events[5]).toBe('Warning Failed Error: ImagePullBackOff');
  });

  it('progressDeadlineSeconds with a never-ready pod: rollout status fails with the progress deadline', () => {
    ns('deadline');
    apply(deployment('stuck', { replicas: 1, progressDeadlineSeconds: 3, annotations: { 'kubesim.dev/never-ready': 'true' } }), 'deadline');
    const r = sim.kubectl(['-n', 'deadline', 'rollout', 'status', 'deployment/stuck', '--timeout=30s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: deployment "stuck" exceeded its progress deadline');
    const cond = JSON.parse(sim.kubectl(['-n', 'deadline', 'get', 'deploy', 'stuck', '-o', 'json']).stdout).status.conditions.find((c: any) => c.type === 'Progressing');
    expect(cond).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: expect.stringMatching(/^ReplicaSet "stuck-\w+" has timed out progressing\.$/) });
  });
});

describe('Pods and the kubelet', () => {
  it('a crash loop: CrashLoopBackOff, restarts, and logs --previous with what the container printed', async () => {
    ns('crash');
    apply(deployment('crasher', { replicas: 1, probe: false, annotations: { 'kubesim.dev/exit-code': '3', 'kubesim.dev/crash-after': '0.3', 'kubesim.dev/log': 'booting\nconfig missing: DATABASE_URL' } }), 'crash');
    await until(() => /CrashLoopBackOff\s+[1-9]/.test(sim.kubectl(['-n', 'crash', 'get', 'pods']).stdout), 'CrashLoopBackOff with restarts');
    const pod = JSON.parse(sim.kubectl(['-n', 'crash', 'get', 'pods', '-o', 'json']).stdout).items[0];
    const status = pod.status.containerStatuses[0];
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(status.restartCount).toBeGreaterThanOrEqual(1);
    const previous = sim.kubectl(['-n', 'crash', 'logs', pod.metadata.name, '--previous']);
    expect(previous.stdout).toBe('booting\nconfig missing: DATABASE_URL\napp: exiting with code 3\n');
    const events = sim.kubectl(['-n', 'crash', 'get', 'events', '--field-selector', `involvedObject.name=${pod.metadata.name}`, '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']).stdout;
    expect(events).toContain('BackOff');
  });

  it('unschedulable, invalid image name, and a missing ConfigMap', async () => {
    ns('states');
    const pod = (name: string, extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extra}`;
    apply(pod('nowhere', `  annotations: {kubesim.dev/unschedulable: "true"}\nspec:\n  containers: [{name: app, image: ${image}}]\n`), 'states');
    apply(pod('badname', `spec:\n  containers: [{name: app, image: "UPPER/Case:tag"}]\n`), 'states');
    apply(pod('noconfig', `spec:\n  containers:\n    - name: app\n      image: ${image}\n      env: [{name: X, valueFrom: {configMapKeyRef: {name: settings, key: x}}}]\n`), 'states');
    const status = (name: string) => sim.kubectl(['-n', 'states', 'get', 'pod', name, '--no-headers']).stdout.split(/\s+/)[2];
    await until(() => status('badname') === 'InvalidImageName' && status('noconfig') === 'CreateContainerConfigError', 'the waiting reasons');
    expect(status('nowhere')).toBe('Pending');
    const scheduled = JSON.parse(sim.kubectl(['-n', 'states', 'get', 'pod', 'nowhere', '-o', 'json']).stdout).status.conditions.find((c: any) => c.type === 'PodScheduled');
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable', message: expect.stringMatching(/^0\/3 nodes are available: /) });
    expect(sim.kubectl(['-n', 'states', 'get', 'events', '--field-selector', 'involvedObject.name=nowhere,reason=FailedScheduling', '-o', 'name']).stdout).not.toBe('');
    const waiting = JSON.parse(sim.kubectl(['-n', 'states', 'get', 'pod', 'noconfig', '-o', 'json']).stdout).status.containerStatuses[0].state.waiting;
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'configmap "settings" not found' });
    // Creating the ConfigMap lets the container start.
    expect(sim.kubectl(['-n', 'states', 'create', 'configmap', 'settings', '--from-literal=x=1']).code).toBe(0);
    await until(() => status('noconfig') === 'Running', 'noconfig to run');
  });
});

describe('images and printing', () => {
  it('the first pod on a node pulls (imageID a digest reference); the next one there finds the image present', async () => {
    ns('pulls');
    // A tag no other test used, so no node has it yet.
    const env = { ...process.env, DOCKER_HOST: testEngine().dockerHost };
    const fresh = `${image.replace(/:stable$/, '')}:pulls-${process.pid}`;
    execFileSync('docker', ['tag', image, fresh], { env });
    execFileSync('docker', ['push', '-q', fresh], { env });
    const pod = (name: string, policy: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  nodeSelector: {kubernetes.io/hostname: kubesim-node-3}\n  containers: [{name: app, image: "${fresh}", imagePullPolicy: ${policy}}]\n`;
    apply(pod('first', 'IfNotPresent'), 'pulls');
    const running = (name: string) => sim.kubectl(['-n', 'pulls', 'get', 'pod', name, '-o', 'jsonpath={.status.phase}']).stdout === 'Running';
    await until(() => running('first'), 'the first pod to run');
    apply(pod('second', 'IfNotPresent'), 'pulls');
    apply(pod('always', 'Always'), 'pulls');
    await until(() => running('second') && running('always'), 'the other pods to run');
    const messages = (name: string) => sim.kubectl(['-n', 'pulls', 'get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).stdout;
    expect(messages('first')).toMatch(new RegExp(`^Pulling: Pulling image "${fresh}"$`, 'm'));
    expect(messages('first')).toMatch(new RegExp(`^Pulled: Successfully pulled image "${fresh}" in \\d+ms \\(\\d+ms including waiting\\)\\. Image size: [1-9]\\d* bytes\\.$`, 'm'));
    expect(messages('second')).not.toContain('Pulling');
    expect(messages('second')).toContain(`Pulled: Container image "${fresh}" already present on machine`);
    expect(messages('always')).toContain('Pulling: Pulling image');
    const status = JSON.parse(sim.kubectl(['-n', 'pulls', 'get', 'pod', 'first', '-o', 'json']).stdout).status.containerStatuses[0];
    const digests = execFileSync('docker', ['inspect', '--format', '{{join .RepoDigests "\\n"}}', fresh], { env, encoding: 'utf8' }).trim().split('\n');
    expect(digests).toContain(status.imageID);
  });

  it('kubectl get prints the API server\'s columns for services, nodes, config maps, secrets and jobs, and -o wide adds its own', () => {
    ns('columns');
    expect(sim.kubectl(['-n', 'columns', 'create', 'service', 'nodeport', 'web', '--tcp=80:8080', '--node-port=30080']).code).toBe(0);
    expect(sim.kubectl(['-n', 'columns', 'create', 'configmap', 'two', '--from-literal=a=1', '--from-literal=b=2']).code).toBe(0);
    expect(sim.kubectl(['-n', 'columns', 'create', 'secret', 'generic', 'tls-ish', '--type=example.com/custom', '--from-literal=k=v']).code).toBe(0);
    const header = (args: string[]) => sim.kubectl(['-n', 'columns', 'get', ...args]).stdout.split('\n')[0]!.trim().split(/\s{2,}/);
    expect(header(['svc', '-o', 'wide'])).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    expect(sim.kubectl(['-n', 'columns', 'get', 'svc', 'web', '--no-headers']).stdout).toMatch(/^web\s+NodePort\s+10\.\S+\s+<none>\s+80:30080\/TCP\s+\d+s\s*$/);
    expect(header(['nodes'])).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(header(['nodes', '-o', 'wide'])).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(sim.kubectl(['-n', 'columns', 'get', 'cm', 'two', '--no-headers']).stdout).toMatch(/^two\s+2\s+\d+s\s*$/);
    expect(sim.kubectl(['-n', 'columns', 'get', 'secret', 'tls-ish', '--no-headers']).stdout).toMatch(/^tls-ish\s+example\.com\/custom\s+1\s+\d+s\s*$/);
    expect(sim.kubectl(['-n', 'columns', 'create', 'job', 'once', `--image=${image}`]).code).toBe(0);
    expect(header(['jobs', '-o', 'wide'])).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(header(['pods', '-o', 'wide', '-n', 'pulls'])).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
  });
});

describe('Services', () => {
  it('endpoints and EndpointSlices follow the ready pods a Service selects, and go with it', async () => {
    ns('endpoints');
    apply(deployment('api', { replicas: 2, probe: false }), 'endpoints');
    expect(sim.kubectl(['-n', 'endpoints', 'create', 'service', 'clusterip', 'api', '--tcp=80:8080']).code).toBe(0);
    expect(sim.kubectl(['-n', 'endpoints', 'rollout', 'status', 'deployment/api', '--timeout=30s']).code).toBe(0);
    const ips = () => (JSON.parse(sim.kubectl(['-n', 'endpoints', 'get', 'endpoints', 'api', '-o', 'json']).stdout).subsets?.[0]?.addresses ?? []).map((a: any) => a.ip).sort();
    await until(() => ips().length === 2, 'two ready addresses');
    const podIps = JSON.parse(sim.kubectl(['-n', 'endpoints', 'get', 'pods', '-l', 'app=api', '-o', 'json']).stdout).items.map((p: any) => p.status.podIP).sort();
    expect(ips()).toEqual(podIps);
    const endpoints = JSON.parse(sim.kubectl(['-n', 'endpoints', 'get', 'endpoints', 'api', '-o', 'json']).stdout);
    expect(endpoints.subsets[0].ports).toEqual([{ name: '80-8080', port: 8080, protocol: 'TCP' }]);
    expect(endpoints.subsets[0].addresses[0].targetRef).toMatchObject({ kind: 'Pod', namespace: 'endpoints' });
    const slices = JSON.parse(sim.kubectl(['-n', 'endpoints', 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=api', '-o', 'json']).stdout).items;
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ addressType: 'IPv4', ports: [{ name: '80-8080', port: 8080, protocol: 'TCP' }] });
    expect(slices[0].endpoints.map((e: any) => e.addresses[0]).sort()).toEqual(podIps);
    expect(slices[0].endpoints.every((e: any) => e.conditions.ready === true)).toBe(true);
    expect(sim.kubectl(['-n', 'endpoints', 'get', 'endpoints', 'api', '--no-headers']).stdout).toMatch(/^api\s+10\.\S+:8080,10\.\S+:8080\s+\d+s\s*$/);

    expect(sim.kubectl(['-n', 'endpoints', 'scale', 'deployment/api', '--replicas=3']).stdout).toBe('deployment.apps/api scaled\n');
    await until(() => ips().length === 3, 'three ready addresses');
    expect(sim.kubectl(['-n', 'endpoints', 'delete', 'service', 'api']).code).toBe(0);
    await until(() => sim.kubectl(['-n', 'endpoints', 'get', 'endpoints,endpointslices', '-o', 'name']).stdout === '', 'the endpoints to go');
  });
});

describe('Jobs', () => {
  const job = (name: string, exitCode: number, backoffLimit = 1) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  backoffLimit: ${backoffLimit}
  template:
    metadata:
      annotations: {kubesim.dev/exit-code: "${exitCode}", kubesim.dev/crash-after: "0.2"}
    spec:
      restartPolicy: Never
      containers: [{name: task, image: ${image}}]
`;

  it('kubectl wait --for=condition=complete on a Job that succeeds', () => {
    ns('jobs-ok');
    apply(job('migrate', 0), 'jobs-ok');
    const r = sim.kubectl(['-n', 'jobs-ok', 'wait', '--for=condition=complete', 'job/migrate', '--timeout=30s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('job.batch/migrate condition met');
    expect(sim.kubectl(['-n', 'jobs-ok', 'get', 'job', 'migrate', '--no-headers']).stdout).toMatch(/^migrate\s+Complete\s+1\/1/);
  });

  it('a Job with no kubesim annotations completes, as in KWOK default stages', () => {
    ns('jobs-plain');
    apply(`apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: plain\nspec:\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers: [{name: task, image: ${image}}]\n`, 'jobs-plain');
    const r = sim.kubectl(['-n', 'jobs-plain', 'wait', '--for=condition=complete', 'job/plain', '--timeout=30s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('job.batch/plain condition met');
  });

  it('kubectl wait --for=condition=failed on a Job that exhausts backoffLimit', () => {
    ns('jobs-bad');
    apply(job('migrate', 1, 1), 'jobs-bad');
    const r = sim.kubectl(['-n', 'jobs-bad', 'wait', '--for=condition=failed', 'job/migrate', '--timeout=30s']);
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(sim.kubectl(['-n', 'jobs-bad', 'get', 'job', 'migrate', '-o', 'json']).stdout).status;
    expect(status.failed).toBe(2);
    expect(status.conditions.map((c: any) => [c.type, c.reason])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ]);
  });
});

describe('StatefulSets and DaemonSets', () => {
  it('kubectl rollout status for a StatefulSet: ordered pods, claims, then a partitioned update', () => {
    ns('sts');
    const sts = (partition: number, version: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${partition}}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}, annotations: {version: "${version}"}}
    spec: {containers: [{name: db, image: "${image}"}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
    apply(sts(0, '1'), 'sts');
    const created = sim.kubectl(['-n', 'sts', 'rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(created.code, created.stderr).toBe(0);
    // kubectl saw the set while pods were still becoming ready, one by one (how many were left
    // when it first looked depends on the machine's load).
    expect(created.stdout).toMatch(/Waiting for [1-3] pods to be ready\.\.\./);
    expect(sim.kubectl(['-n', 'sts', 'get', 'pods', '-o', 'name']).stdout.trim().split('\n')).toEqual(['pod/db-0', 'pod/db-1', 'pod/db-2']);
    expect(sim.kubectl(['-n', 'sts', 'get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}']).stdout.trim()).toBe('data-db-0=Bound data-db-1=Bound data-db-2=Bound');

    apply(sts(2, '2'), 'sts');
    const partitioned = sim.kubectl(['-n', 'sts', 'rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(partitioned.code, partitioned.stderr).toBe(0);
    expect(partitioned.stdout).toContain('partitioned roll out complete: 1 new pods have been updated...');
    const status = JSON.parse(sim.kubectl(['-n', 'sts', 'get', 'sts', 'db', '-o', 'json']).stdout).status;
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 1, currentReplicas: 2 });
    expect(status.updateRevision).not.toBe(status.currentRevision);
    const revisions = sim.kubectl(['-n', 'sts', 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.labels.controller-revision-hash} {end}']).stdout.trim().split(' ');
    expect(revisions.slice(0, 2)).toEqual([status.currentRevision, status.currentRevision]);
    expect(revisions[2]).toBe(status.updateRevision);
    expect(sim.kubectl(['-n', 'sts', 'get', 'controllerrevisions', '-o', 'name']).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('kubectl rollout status for a DaemonSet: one pod per node', () => {
    ns('ds');
    apply(`apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: agent, image: "${image}"}]}\n`, 'ds');
    const r = sim.kubectl(['-n', 'ds', 'rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('daemon set "agent" successfully rolled out');
    const nodes = sim.kubectl(['-n', 'ds', 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {end}']).stdout.trim().split(' ').sort();
    expect(nodes).toEqual(['kubesim-node-1', 'kubesim-node-2', 'kubesim-node-3']);
    expect(sim.kubectl(['get', 'nodes', '-o', 'name']).stdout.trim().split('\n')).toHaveLength(3);
  });
});
