// Bad-input corpus, part 2: command-line flags, kubeconfig and clusters, and registries that
// misbehave.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkBadInput, type BadInput } from './helpers/bad-input.js';

const USAGE = /^error: /m;

const flagCases: BadInput[] = [
  { name: 'no command', args: [], noDir: true, code: 2, headline: /error: no command given/ },
  { name: 'unknown command', args: ['deploy'], noDir: true, code: 2, headline: /unknown command 'deploy'/ },
  { name: 'unknown option', args: ['digest', '--frobnicate'], code: 2, headline: /unknown option '--frobnicate'/ },
  { name: '--output xml', args: ['digest', '--output', 'xml'], textOnly: true, code: 2, headline: /--output <format>' argument 'xml' is invalid/ },
  { name: '--parallel 0', args: ['build', '--parallel', '0'], code: 2, headline: /--parallel/ },
  { name: '--parallel abc', args: ['build', '--parallel', 'abc'], code: 2, headline: /--parallel/ },
  { name: '--parallel 100000', args: ['build', '--parallel', '100000'], code: 2, headline: /--parallel/ },
  { name: '--platform linux', args: ['build', '--platform', 'linux'], code: 2, headline: /platform "linux"/ },
  { name: '--repo with capitals', args: ['digest', '--repo', 'Registry.example.com/App'], code: 2, headline: /repository "Registry\.example\.com\/App"/ },
  { name: '--env with an underscore', args: ['render', '--env', 'prod_eu'], code: 2, headline: /environment "prod_eu"/ },
  { name: '--namespace with capitals', args: ['render', '--namespace', 'Prod'], code: 2, headline: /namespace "Prod"/ },
  { name: '--release too long', args: ['render', '--release', 'r'.repeat(70)], code: 2, headline: /release "r+"/ },
  { name: '--timeout abc', args: ['converge', '--timeout', 'abc'], code: 2, headline: /"abc" is not a duration/ },
  { name: '--timeout 5x', args: ['converge', '--timeout', '5x'], code: 2, headline: /"5x" is not a duration/ },
  { name: '--lock-timeout negative', args: ['converge', '--lock-timeout', '-1s'], code: 2, headline: /is not a duration/ },
  { name: '--insecure-registry with a path', args: ['digest', '--insecure-registry', 'reg.example.com/path'], code: 2, headline: /--insecure-registry/ },
  { name: '--insecure-registry with a scheme', args: ['digest', '--insecure-registry', 'http://reg.example.com'], code: 2, headline: /--insecure-registry/ },
  { name: '--revision 0', args: ['rollback', '--revision', '0'], code: 2, headline: /"0" is not a revision number/ },
  { name: '--revision abc', args: ['rollback', '--revision', 'abc'], code: 2, headline: /"abc" is not a revision number/ },
  { name: '--dir that does not exist', args: ['digest', '--dir', '/nonexistent/project'], noDir: true, code: 2, headline: /\/nonexistent\/project/ },
  { name: '--dir outside any Git work tree', args: ['digest', '--dir', '/'], noDir: true, code: 2, headline: /Git/ },
  { name: '--commit unknown', args: ['digest', '--commit', 'deadbeef'], code: 2, headline: /deadbeef/ },
  { name: 'unknown image argument', args: ['digest', 'nope'], code: 2, headline: /unknown image: nope/ },
  { name: 'unknown image for build', args: ['build', 'nope', '--repo', '127.0.0.1:5000/x'], code: 2, headline: /unknown image: nope/ },
  { name: 'render with an extra argument', args: ['render', 'extra'], code: 2, headline: /too many arguments|unknown command|excess arguments/i },
  { name: 'SLIPWAY_OUTPUT invalid', args: ['digest'], env: { SLIPWAY_OUTPUT: 'yaml' }, textOnly: true, code: 2, headline: /value 'yaml' from env 'SLIPWAY_OUTPUT' is invalid/ },
  { name: 'SLIPWAY_PARALLEL invalid', args: ['build'], env: { SLIPWAY_PARALLEL: '-3' }, code: 2, headline: /--parallel/ },
  { name: 'SLIPWAY_REQUEST_TIMEOUT invalid', args: ['digest', '--check', '--repo', '127.0.0.1:5000/x'], env: { SLIPWAY_REQUEST_TIMEOUT: 'soon' }, code: 2, headline: /SLIPWAY_REQUEST_TIMEOUT="soon"/ },
  { name: '--kube-context unknown', args: ['history', '--kube-context', 'nope', '--kubeconfig', '{repo}/kubeconfig'], code: 2, headline: /--kube-context nope: no such context/ },
  // environment: exit 3
  { name: 'no kubeconfig at all', args: ['history'], env: { KUBECONFIG: undefined, HOME: '/nonexistent-home' }, code: 3, headline: /no kubeconfig/ },
  { name: '--kubeconfig missing file', args: ['history', '--kubeconfig', '/nonexistent/kc'], code: 3, headline: /--kubeconfig \/nonexistent\/kc: no such file/ },
  { name: 'cluster unreachable', args: ['history', '--kubeconfig', '{repo}/kubeconfig'], code: 3, headline: /cluster https:\/\/127\.0\.0\.1:1 is unreachable/ },
  { name: 'DOCKER_HOST unparsable', args: ['build', '--repo', '127.0.0.1:5000/bad-docker-host'], env: { DOCKER_HOST: 'not a url' }, code: 3, headline: /DOCKER_HOST="not a url" is not an engine address/ },
];

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: ctx\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\ncurrent-context: ctx\n';

describe('bad input: flags, kubeconfig, environment', () => {
  it.each(flagCases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const files = c.args.some((a) => a.includes('{repo}/kubeconfig')) ? { ...(await import('./helpers/bad-input.js')).BASE, kubeconfig: KUBECONFIG } : c.files;
    await checkBadInput({ ...c, files });
  });
});

describe('bad input: registries that misbehave', () => {
  let server: Server;
  let registry = '';
  let mode = '';
  const manifest = Buffer.from('{"schemaVersion":2}');
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/v2/') return res.writeHead(200).end('{}');
      if (mode === 'bad-digest') return res.writeHead(200, { 'Docker-Content-Digest': 'sha256:x, privileged: true' }).end(manifest);
      if (mode === 'other-digest') return res.writeHead(200, { 'Docker-Content-Digest': `sha256:${'b'.repeat(64)}` }).end(manifest);
      if (mode === '500') return res.writeHead(500).end('boom');
      if (mode === '401') return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end();
      if (mode === 'token-down') return res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://127.0.0.1:1/token",service="x"' }).end();
      if (mode === 'hang') return; // never answers
      if (mode === '404') return res.writeHead(404).end();
      res.writeHead(418).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const registryCases: [string, string, string[], number, RegExp, Record<string, string>?][] = [
    ['a malformed Docker-Content-Digest', 'bad-digest', ['render', '--resolve'], 3, /sent a malformed Docker-Content-Digest/],
    ['a digest that does not match the bytes', 'other-digest', ['render', '--resolve'], 3, /do not match its Docker-Content-Digest/],
    ['a registry answering 500', '500', ['render', '--resolve'], 3, /answered HTTP 500/],
    ['a registry refusing without credentials', '401', ['digest', '--check'], 3, /not allowed to read/],
    ['an unreachable token server', 'token-down', ['digest', '--check'], 3, /token server 127\.0\.0\.1:1 of registry/],
    ['a registry that never answers', 'hang', ['digest', '--check'], 3, /did not answer within 1s/, { SLIPWAY_REQUEST_TIMEOUT: '1' }],
    ['an image missing under --resolve', '404', ['render', '--resolve'], 3, /not in the registry/],
    ['an image missing under --require-built-images', '404', ['converge', '--require-built-images', '--kubeconfig', '{repo}/kubeconfig'], 3, /cluster https:\/\/127\.0\.0\.1:1 is unreachable/],
    ['a closed registry port', 'closed', ['render', '--resolve'], 3, /registry 127\.0\.0\.1:1 is unreachable/],
  ];

  it.each(registryCases)('%s', async (_, m, args, code, headline, env) => {
    mode = m;
    const repo = m === 'closed' ? '127.0.0.1:1/app' : `${registry}/app`;
    const { BASE } = await import('./helpers/bad-input.js');
    await checkBadInput({ name: _, files: { ...BASE, kubeconfig: KUBECONFIG }, args: [args[0]!, '--repo', repo, ...args.slice(1)], code, headline, env });
  });
});
