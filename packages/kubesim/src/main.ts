// `npm run kubesim -- --kubeconfig PATH [--port N] [--nodes 3] [--kubelet fake|docker]`:
// serves until killed; writes the kubeconfig (CA, server, tokens, contexts) once ready.
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Kubesim } from './server.js';
import { makeCertificates } from './tls.js';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    port: { type: 'string', default: '6443' },
    nodes: { type: 'string', default: '3' },
    kubelet: { type: 'string', default: 'fake' },
    'bookmark-seconds': { type: 'string', default: '60' },
    'backoff-scale': { type: 'string', default: '1' },
  },
});
if (!values.kubeconfig) {
  process.stderr.write('usage: kubesim --kubeconfig PATH [--port N] [--nodes N] [--kubelet fake|docker]\n');
  process.exit(2);
}

const certificates = makeCertificates();
const tokens = { admin: randomBytes(24).toString('hex'), readonly: randomBytes(24).toString('hex') };
if (values.kubelet !== 'fake' && values.kubelet !== 'docker') {
  process.stderr.write(`kubesim: --kubelet must be fake or docker, not ${values.kubelet}\n`);
  process.exit(2);
}
const sim = new Kubesim({ certificates, tokens, bookmarkSeconds: Number(values['bookmark-seconds']), nodes: Number(values.nodes), backoffScale: Number(values['backoff-scale']), kubelet: values.kubelet });
const port = await sim.listen(Number(values.port));
const server = `https://127.0.0.1:${port}`;
const kubeconfig = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'kubesim', cluster: { server, 'certificate-authority-data': Buffer.from(certificates.caCert).toString('base64') } }],
  users: [
    { name: 'admin', user: { token: tokens.admin } },
    { name: 'readonly', user: { token: tokens.readonly } },
  ],
  contexts: [
    { name: 'kubesim', context: { cluster: 'kubesim', user: 'admin', namespace: 'default' } },
    { name: 'kubesim-readonly', context: { cluster: 'kubesim', user: 'readonly', namespace: 'default' } },
  ],
  'current-context': 'kubesim',
};
// Written only once the server listens, atomically: its existence means "ready".
writeFileSync(`${values.kubeconfig}.tmp`, stringify(kubeconfig), { mode: 0o600 });
renameSync(`${values.kubeconfig}.tmp`, values.kubeconfig);
process.stderr.write(`kubesim: serving ${server} (kubeconfig ${values.kubeconfig})\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Containers this instance started go with it (docker mode).
    sim.shutdown().finally(() => process.exit(0));
  });
}
