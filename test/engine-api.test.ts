// Both ways slipway talks to the Docker engine, against the stack's real engine: node:http (the
// socket and plain TCP) and dockerode (what SSH, TLS and named-pipe engines go through).
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerodeEngineApi, HttpEngineApi, plainEndpoint, readJsonLines, type EngineApi } from '../src/adapters/docker-api.js';
import { createTar } from '../src/core/tar.js';
import { stackEnv } from './helpers/stack.js';

const socketPath = plainEndpoint({ DOCKER_HOST: stackEnv().DOCKER_HOST }) as { socketPath: string };
const apis: [string, () => EngineApi][] = [
  ['node:http', () => new HttpEngineApi(socketPath)],
  ['dockerode', () => new DockerodeEngineApi(new Docker(socketPath))],
];

describe.each(apis)('engine API over %s', (via, make) => {
  it('builds with BuildKit, inspects, saves and removes the image; a missing image is a 404', async () => {
    const api = make();
    const tag = `slipway-engine-api-${via.replace(/\W/g, '')}:${process.pid}`;
    const context = createTar([
      { type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from('FROM busybox:stable\nARG WORD\nRUN echo "$WORD" > /word\n') },
    ]);
    const networks = await api.listNetworks({ name: ['bridge'] });
    const stream = await api.build(context, { t: tag, version: '2', buildargs: { WORD: 'hé' }, labels: { 'dev.slipway.test': via }, ...(networks.some((n) => n.Name === 'bridge') ? {} : { networkmode: 'none' }) });
    const events = await readJsonLines<{ id?: string; error?: string; aux?: unknown }>(stream, () => undefined);
    expect(events.filter((e) => e.error)).toEqual([]);
    expect(events.some((e) => e.id === 'moby.buildkit.trace')).toBe(true);

    const image = await api.inspectImage(tag);
    expect(image.Id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(image.RootFS?.Layers?.length).toBeGreaterThan(1);
    const archive = await api.saveImage(image.Id);
    let bytes = 0;
    for await (const chunk of archive as AsyncIterable<Buffer>) bytes += chunk.length;
    expect(bytes).toBeGreaterThan(1024);

    await api.removeImage(tag, { noprune: true });
    await expect(api.inspectImage(tag)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a build that fails reports the error in its stream', async () => {
    const api = make();
    const context = createTar([{ type: 'file', path: 'Dockerfile', mode: 0o644, content: Buffer.from('FROM busybox:stable\nRUN exit 3\n') }]);
    const events = await readJsonLines<{ error?: string; errorDetail?: { message?: string } }>(await api.build(context, { version: '2', networkmode: 'none' }), () => undefined);
    expect(events.find((e) => e.error)?.errorDetail?.message ?? '').toContain('exit code: 3');
  });
});
