// Nodes and the scheduler: N simulated nodes; pods bound to the least loaded node whose labels
// match the nodeSelector; otherwise PodScheduled=False Unschedulable and a FailedScheduling event.
import type { Obj } from '../store.js';
import { nowIso, setCondition, type Cluster } from './cluster.js';

export function createNodes(cluster: Cluster, count: number): void {
  for (let i = 1; i <= count; i++) {
    const name = `kubesim-node-${i}`;
    if (cluster.get('Node', undefined, name)) continue;
    const node = cluster.create('Node', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } }, spec: {} }, 'kubesim');
    node.status = {
      capacity: { cpu: '8', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: nowIso(), lastTransitionTime: nowIso() }],
      nodeInfo: { kubeletVersion: 'v1.32.4-kubesim', containerRuntimeVersion: 'kubesim://1', operatingSystem: 'linux', architecture: 'amd64' },
      addresses: [{ type: 'InternalIP', address: `10.0.0.${i}` }, { type: 'Hostname', address: name }],
    };
    cluster.write('Node', node);
  }
}

export function schedule(cluster: Cluster): void {
  const nodes = cluster.list('Node');
  const pods = cluster.list('Pod');
  const load = new Map(nodes.map((n) => [n.metadata.name as string, 0]));
  for (const p of pods) if (p.spec.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
  for (const pod of pods) {
    if (pod.spec.nodeName || pod.metadata.deletionTimestamp) continue;
    const selector: Obj = pod.spec.nodeSelector ?? {};
    const fits = nodes.filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v));
    const status: Obj = { ...pod.status };
    if (pod.metadata.annotations?.['kubesim.dev/unschedulable'] !== undefined || fits.length === 0) {
      const message = `0/${nodes.length} nodes are available: ${nodes.length} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const already = pod.status?.conditions?.some((c: Obj) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
      setCondition(status, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message });
      status.phase = 'Pending';
      cluster.write('Pod', { ...pod, status });
      if (!already) cluster.event(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
      continue;
    }
    const node = fits.reduce((a, b) => ((load.get(a.metadata.name) ?? 0) <= (load.get(b.metadata.name) ?? 0) ? a : b));
    load.set(node.metadata.name, (load.get(node.metadata.name) ?? 0) + 1);
    setCondition(status, { type: 'PodScheduled', status: 'True', reason: '', message: '' });
    const scheduled = status.conditions.find((c: Obj) => c.type === 'PodScheduled');
    delete scheduled.reason;
    delete scheduled.message;
    cluster.write('Pod', { ...pod, spec: { ...pod.spec, nodeName: node.metadata.name }, status });
    cluster.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`, { component: 'default-scheduler' });
  }
}
