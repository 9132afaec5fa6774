import { describe, expect, it } from 'vitest';
import { runGraph } from './schedule.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('runGraph', () => {
  it('runs dependencies first and independent tasks in parallel, up to the limit', async () => {
    const log: string[] = [];
    let active = 0;
    let peak = 0;
    const deps = new Map([['app', ['base']], ['worker', ['base']], ['base', []], ['tool', []]]);
    const result = await runGraph(['base', 'tool', 'app', 'worker'], deps, 2, async (name) => {
      active++;
      peak = Math.max(peak, active);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 10));
      log.push(`end ${name}`);
      active--;
      return name.toUpperCase();
    });
    expect(peak).toBe(2);
    expect(log.indexOf('end base')).toBeLessThan(log.indexOf('start app'));
    expect(log.indexOf('end base')).toBeLessThan(log.indexOf('start worker'));
    expect(result.get('app')).toEqual({ ok: true, value: 'APP' });
  });

  it('after a failure starts nothing new but lets running tasks finish', async () => {
    const slow = deferred();
    const started: string[] = [];
    const deps = new Map([['a', []], ['b', []], ['c', []], ['d', ['a']]]);
    const done = runGraph(['a', 'b', 'c', 'd'], deps, 2, async (name) => {
      started.push(name);
      if (name === 'a') await slow.promise;
      if (name === 'b') throw new Error('b broke');
      return name;
    });
    await new Promise((r) => setTimeout(r, 20));
    slow.resolve();
    const result = await done;
    expect(started).toEqual(['a', 'b']);
    expect(result.get('a')).toEqual({ ok: true, value: 'a' });
    expect(result.get('b')).toMatchObject({ ok: false, error: new Error('b broke') });
    expect(result.get('c')).toEqual({ ok: false, skipped: true });
    expect(result.get('d')).toEqual({ ok: false, skipped: true });
  });
});
