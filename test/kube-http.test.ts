// The API client's socket pools (src/adapters/kube/http.ts): ordinary requests share a small
// pool; watches, which hold their socket for a whole rollout, have their own and never make a
// request wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../src/adapters/kube/config.js';
import { KubeHttp, MAX_SOCKETS } from '../src/adapters/kube/http.js';
import { startCluster } from './helpers/deploy-fixture.js';
import type { RunningKubesim } from './helpers/kubesim.js';

let sim: RunningKubesim;
beforeAll(async () => {
  sim = await startCluster('fake');
});
afterAll(() => sim?.stop());

describe('KubeHttp sockets', () => {
  // A shared pool would leave the requests queued behind the watches: the test would time out.
  it('answers requests while more watches than the request pool holds are open', { timeout: 30_000 }, async () => {
    const http = new KubeHttp(await connect({ kubeconfig: sim.kubeconfig }, {}), { timeoutMs: 10_000, retryBudgetMs: 0 });
    const abort = new AbortController();
    const watches = Array.from({ length: MAX_SOCKETS + 4 }, (_, i) => http.lines(`/api/v1/namespaces/w${i}/configmaps?watch=1`, abort.signal)[Symbol.asyncIterator]());
    // Each watch's request goes out on its first pull; none has an event to give.
    const pending = watches.map((w) => w.next());
    pending.forEach((p) => p.catch(() => undefined));
    try {
      // A configmap in one watched namespace: its watch answers, so every watch is open.
      const created = await http.call('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } } });
      expect(created.status).toBe(201);
      await http.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w3' } } });
      const inWatched = await http.call('POST', '/api/v1/namespaces/w3/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen' } } });
      expect(inWatched.status).toBe(201);
      const event = JSON.parse(((await pending[3]) as IteratorResult<string>).value);
      // (the namespace's kube-root-ca.crt may come first, as on a real cluster)
      expect(event).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { namespace: 'w3' } } });
      // Twenty requests at once: more than the pool holds, all answered through it.
      const answers = await Promise.all(Array.from({ length: 20 }, () => http.call('GET', '/api/v1/namespaces/default/configmaps/probe')));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    } finally {
      abort.abort();
      http.close();
    }
  });
});
