import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
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

  it('tty: one live region for concurrent tasks; finished ones and warnings are printed above it', () => {
    let out = '';
    const r = new TtyReporter({ chalk: new Chalk({ level: 0 }), stream: { write: (s: string) => void (out += s), columns: 40 }, verbose: true });
    r.emit({ kind: 'step-start', id: 'a', message: 'building api' });
    r.emit({ kind: 'step-start', id: 'b', message: 'building worker with a very long message that does not fit the terminal' });
    // The region is two lines, and the second is cut to the width.
    const frame = out.slice(out.lastIndexOf('\x1b[0J') + 4);
    expect(frame.split('\n').filter(Boolean)).toHaveLength(2);
    expect(frame.split('\n').every((l) => l.length <= 39)).toBe(true);
    events.slice(1).forEach((e) => r.emit(e));
    r.emit({ kind: 'resource', id: 'Deployment/ns/web', state: 'progressing', message: 'Waiting', ready: 1, desired: 3 });
    r.emit({ kind: 'resource', id: 'Deployment/ns/web', state: 'ready', message: 'rolled out', ready: 3, desired: 3 });
    r.close();
    expect(out).toContain('warning Dockerfile:1 unpinned\n');
    expect(out).toContain('detail\n');
    expect(out).toContain(`api ${'a'.repeat(12)} (3 files)`);
    expect(out).toMatch(/✔ built api\n/);
    expect(out).toMatch(/✖ pushed worker\n/);
    expect(out).toContain('Deployment/ns/web 1/3 ready Waiting');
    expect(out).toMatch(/✔ Deployment\/ns\/web 3\/3 ready\n/);
    // Every redraw first moves up over exactly the lines it drew.
    expect(out).toMatch(/\x1b\[2A\x1b\[0J/);
  });

  it('chooses TTY output only on an interactive stream outside CI; colour obeys NO_COLOR and --no-color', () => {
    const tty = { isTTY: true, columns: 80 } as NodeJS.WriteStream;
    expect(isInteractive({ color: true, verbose: false, stream: tty, env: {} })).toBe(true);
    expect(isInteractive({ color: true, verbose: false, stream: tty, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ color: true, verbose: false, stream: {} as NodeJS.WriteStream, env: {} })).toBe(false);
    // A pseudo-terminal that reports 0 columns (script -qc) gets plain output.
    expect(isInteractive({ color: true, verbose: false, stream: { isTTY: true, columns: 0 } as NodeJS.WriteStream, env: {} })).toBe(false);
    expect(colorEnabled({ color: true, verbose: false, stream: tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ color: false, verbose: false, stream: tty, env: {} })).toBe(false);
    expect(colorEnabled({ color: true, verbose: false, stream: tty, env: {} })).toBe(true);
  });
});
