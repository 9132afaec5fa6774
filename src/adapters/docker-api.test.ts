import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { plainEndpoint, readJsonLines } from './docker-api.js';

describe('plainEndpoint', () => {
  it.each([
    [{}, { socketPath: '/var/run/docker.sock' }],
    [{ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, { socketPath: '/run/user/1000/docker.sock' }],
    [{ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, { host: '10.0.0.5', port: 2375 }],
    [{ DOCKER_HOST: 'tcp://[::1]:2375' }, { host: '::1', port: 2375 }],
    [{ DOCKER_HOST: 'http://engine:2375/' }, { host: 'engine', port: 2375 }],
  ])('%j is spoken to over node:http', (env, endpoint) => {
    expect(plainEndpoint(env)).toEqual(endpoint);
  });

  it.each([
    { DOCKER_HOST: 'ssh://me@builder' },
    { DOCKER_HOST: 'npipe:////./pipe/docker_engine' },
    { DOCKER_HOST: 'https://engine:2376' },
    { DOCKER_HOST: 'tcp://engine:2376' },
    { DOCKER_HOST: 'tcp://engine' },
    { DOCKER_HOST: 'tcp://engine:2375', DOCKER_TLS_VERIFY: '1' },
    { DOCKER_HOST: 'tcp://engine:2375', DOCKER_CERT_PATH: '/certs' },
  ])('%j goes through dockerode (SSH, TLS, named pipes)', (env) => {
    expect(plainEndpoint(env)).toBeNull();
  });
});

describe('readJsonLines', () => {
  it('hands over each object as its line completes, across chunks, CRLF and split characters', async () => {
    const stream = new PassThrough();
    const seen: unknown[] = [];
    const done = readJsonLines(stream, (e) => seen.push(e));
    const text = Buffer.from('{"stream":"é"}\r\n\n{"aux":{"ID":"x"}}\n{"error":"boom"}');
    const cut = text.indexOf(0xa9); // inside the two bytes of "é"
    stream.write(text.subarray(0, cut));
    expect(seen).toEqual([]);
    stream.write(text.subarray(cut, cut + 10));
    expect(seen).toEqual([{ stream: 'é' }]);
    stream.end(text.subarray(cut + 10));
    expect(await done).toEqual([{ stream: 'é' }, { aux: { ID: 'x' } }, { error: 'boom' }]);
  });

  it('rejects a line that is not JSON', async () => {
    const stream = new PassThrough();
    const done = readJsonLines(stream, () => undefined);
    stream.end('{"stream":"ok"}\n<html>bad gateway</html>\n');
    await expect(done).rejects.toThrow('not JSON');
  });
});
