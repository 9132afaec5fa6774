// Minimal Docker Engine API client for the stack script (unix:// or tcp:// DOCKER_HOST).
import { request } from 'node:http';

function target(host) {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** Sends a request; `body` may be a Buffer or a readable stream. Resolves with status and text. */
export function dockerRequest(host, method, path, body, timeoutMs = 10_000, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ ...target(host), method, path, headers, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

export async function pingDocker(host) {
  try {
    return (await dockerRequest(host, 'GET', '/_ping', undefined, 2000)).status === 200;
  } catch {
    return false;
  }
}
