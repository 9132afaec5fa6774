import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import ora from 'ora';
import { describe, expect, it } from 'vitest';
import type { SlipwayEvent } from '../core/events.js';
import { colorEnabled, isInteractive } from './index.js';
import { JsonReporter } from './json.js';
import { PlainReporter } from './plain.js';
import { TtyReporter } from './tty.js';

const events: SlipwayEvent[] = [
  { kind: 'step-start', id: 'b', message: 'building api' },
  { kind: 'warning', where: 'Dockerfile:1', message: 'unpinned' },
  { kind: 'info', message: 'detail' },
  { kind: 'image-digest', name: 'api', digest: 'a'.repeat(64), ref: null, files: 3 },
  { kind: 'step-done', id: 'b', message: 'built api', ok: true },
  { kind: 'step-done', id: 'x', message: 'pushed worker', ok: false },
];

function collect(): { text: () => string; write: (s: string) => void } {
  let out = '';
  return { text: () => out, write: (s) => void (out += s) };
}

describe('reporters', () => {
  it('plain: one line per state change, info only with --verbose, timestamps under CI', () => {
    const sink = collect();
    const r = new PlainReporter(sink, { timestamps: true, verbose: false, now: () => new Date('2026-01-01T10:20:30Z') });
    events.forEach((e) => r.emit(e));
    expect(sink.text()).toBe(
      ['10:20:30 building api ...', '10:20:30 warning: Dockerfile:1: unpinned', '10:20:30 ok: built api', '10:20:30 FAILED: pushed worker', ''].join('\n'),
    );
  });

  it('json: one object per event with a time', () => {
    const sink = collect();
    const r = new JsonReporter(sink, () => new Date('2026-01-01T00:00:00Z'));
    events.forEach((e) => r.emit(e));
    const lines = sink.text().trim().split('\n').map((l) => JSON.parse(l) as { kind: string; time: string });
    expect(lines.map((l) => l.kind)).toEqual(events.map((e) => e.kind));
    expect(lines[0]).toEqual({ time: '2026-01-01T00:00:00.000Z', kind: 'step-start', id: 'b', message: 'building api' });
  });

  it('tty: spinners end with a mark, warnings are written above them', () => {
    const stream = new PassThrough();
    let out = '';
    stream.on('data', (c: Buffer) => (out += c.toString()));
    const r = new TtyReporter({
      chalk: new Chalk({ level: 0 }),
      ora: (text) => ora({ text, stream, isEnabled: false, isSilent: false }),
      stream,
      verbose: true,
    });
    events.forEach((e) => r.emit(e));
    expect(out).toContain('warning Dockerfile:1 unpinned');
    expect(out).toContain('detail');
    expect(out).toContain(`api ${'a'.repeat(12)} (3 files)`);
    expect(out).toMatch(/✔ built api/);
    expect(out).toMatch(/✖ pushed worker/);
  });

  it('chooses TTY output only on an interactive stream outside CI; colour obeys NO_COLOR and --no-color', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    expect(isInteractive({ color: true, verbose: false, stream: tty, env: {} })).toBe(true);
    expect(isInteractive({ color: true, verbose: false, stream: tty, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ color: true, verbose: false, stream: {} as NodeJS.WriteStream, env: {} })).toBe(false);
    expect(colorEnabled({ color: true, verbose: false, stream: tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ color: false, verbose: false, stream: tty, env: {} })).toBe(false);
    expect(colorEnabled({ color: true, verbose: false, stream: tty, env: {} })).toBe(true);
  });
});
