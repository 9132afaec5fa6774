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
      // A namespace per watch, each with a configmap: every watch gets its event, so all of them
      // hold a socket while the requests below are answered.
      for (let i = 0; i < watches.length; i++) {
        expect((await http.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `w${i}` } } })).status).toBe(201);
        expect((await http.call('POST', `/api/v1/namespaces/w${i}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe' } } })).status).toBe(201);
      }
      const events = (await Promise.all(pending)).map((r) => JSON.parse((r as IteratorResult<string>).value));
      // (a namespace's kube-root-ca.crt may come before the probe, as on a real cluster)
      events.forEach((event, i) => expect(event).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { namespace: `w${i}` } } }));
      // Twenty requests at once: more than the pool holds, all answered through it.
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => http.call('GET', `/api/v1/namespaces/w${i % watches.length}/configmaps/probe`)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    } finally {
      abort.abort();
      http.close();
    }
  });
});
