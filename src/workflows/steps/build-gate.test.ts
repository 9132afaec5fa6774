import { describe, expect, it } from 'vitest';
import type { BuildRequest, ImageEngine, LocalImage } from '../../ports/index.js';
import { onePullAtATime } from './build-gate.js';

/** An engine whose builds end when the test says so, recording when each started. */
function manualEngine() {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const engine: ImageEngine = {
    build: (request) =>
      new Promise<LocalImage>((resolve) => {
        started.push(request.ref.repository);
        finish.set(request.ref.repository, () => resolve({ ref: request.ref, id: request.ref.repository }));
      }),
    save: () => Promise.reject(new Error('unused')),
    inspect: async () => null,
    discard: async () => undefined,
  };
  return { engine, started, finish };
}

const ref = (repository: string) => ({ registry: 'r.example', repository, tag: 't' });
const request = (r: ReturnType<typeof ref>) => ({ ref: r }) as unknown as BuildRequest;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('onePullAtATime', () => {
  const [worker, migrate, other] = [ref('worker'), ref('migrate'), ref('other')];
  const needs = new Map([[worker, ['api']], [migrate, ['api']], [other, ['db']]]);

  it('starts a build that pulls the same image once the earlier one ends; others at once', async () => {
    const { engine, started, finish } = manualEngine();
    const gated = onePullAtATime(engine, needs, 60_000);
    const builds = [gated.build(request(worker), () => undefined), gated.build(request(migrate), () => undefined), gated.build(request(other), () => undefined)];
    await tick();
    expect(started).toEqual(['worker', 'other']);
    finish.get('worker')!();
    await tick();
    expect(started).toEqual(['worker', 'other', 'migrate']);
    finish.get('migrate')!();
    finish.get('other')!();
    expect((await Promise.all(builds)).map((b) => b.id)).toEqual(['worker', 'migrate', 'other']);
  });

  it('gives the earlier build only a head start: a long build does not hold the next one back', async () => {
    const { engine, started, finish } = manualEngine();
    const gated = onePullAtATime(engine, needs, 20);
    void gated.build(request(worker), () => undefined);
    void gated.build(request(migrate), () => undefined);
    await tick();
    expect(started).toEqual(['worker']);
    await new Promise((r) => setTimeout(r, 40));
    expect(started).toEqual(['worker', 'migrate']);
    finish.get('worker')!();
    finish.get('migrate')!();
  });
});
