// Interactive output on a TTY: one live region at the bottom of stderr with a line per running
// task or resource (spinner, `2/3 ready`, current reason), redrawn in place; everything final
// (warnings, finished steps, applied objects) is printed above it and stays. One region for all
// concurrent tasks: several independent spinners would overwrite each other.
import type { ChalkInstance } from 'chalk';
import type { SlipwayEvent } from '../core/events.js';
import type { Reporter } from '../ports/index.js';
import { formatWith, type Formatters } from './format.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

export interface TtyStream {
  write(text: string): unknown;
  columns?: number;
}

export class TtyReporter implements Reporter {
  private readonly live = new Map<string, string>();
  private readonly formatters: Formatters<void>;
  private drawn = 0;
  private frame = 0;
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly deps: { chalk: ChalkInstance; stream: TtyStream; verbose: boolean }) {
    const { chalk } = deps;
    const print = (s: string) => this.print(s);
    this.formatters = {
      warning: (e) => print(`${chalk.yellow('warning')} ${e.where ? `${chalk.dim(e.where)} ` : ''}${e.message}`),
      note: (e) => print(e.message),
      info: (e) => {
        if (this.deps.verbose) print(chalk.dim(e.message));
      },
      'step-start': (e) => this.set(e.id, e.message),
      'step-done': (e) => {
        this.live.delete(e.id);
        print(`${e.ok ? chalk.green('✔') : chalk.red('✖')} ${e.message}`);
      },
      'image-digest': (e) => {
        if (this.deps.verbose) print(`${chalk.cyan(e.name)} ${chalk.dim(e.digest.slice(0, 12))} (${e.files} files)`);
      },
      waiting: (e) => this.set('waiting', chalk.dim(e.message)),
      applied: (e) => {
        if (e.action !== 'unchanged' || this.deps.verbose) print(`${chalk.dim(e.action.padEnd(9))} ${e.id}`);
      },
      resource: (e) => {
        const counts = e.desired > 1 || WORKLOAD.test(e.id) ? ` ${e.ready}/${e.desired} ready` : '';
        if (e.state === 'progressing') {
          this.live.delete('waiting');
          this.set(e.id, `${e.id}${counts} ${chalk.dim(e.message)}`);
          return;
        }
        this.live.delete(e.id);
        print(e.state === 'ready' ? `${chalk.green('✔')} ${e.id}${counts}` : `${chalk.red('✖')} ${e.id}${counts} ${e.message}`);
      },
    };
  }

  emit(event: SlipwayEvent): void {
    formatWith(this.formatters, event);
  }

  /** Stops the animation (the region stays as last drawn). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private set(id: string, text: string): void {
    this.live.set(id, text);
    if (!this.timer) {
      this.timer = setInterval(() => this.redraw(), FRAME_MS);
      this.timer.unref();
    }
    this.redraw();
  }

  /** A permanent line above the live region. */
  private print(line: string): void {
    this.clear();
    this.deps.stream.write(`${line}\n`);
    this.draw();
  }

  private redraw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.clear();
    this.draw();
    if (this.live.size === 0) this.close();
  }

  private clear(): void {
    if (this.drawn > 0) this.deps.stream.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    // Lines longer than the terminal would wrap and break the cursor arithmetic: cut them.
    const width = Math.max(20, (this.deps.stream.columns ?? 80) - 1);
    const lines = [...this.live.values()].map((text) => cut(`${this.deps.chalk.cyan(FRAMES[this.frame])} ${text}`, width));
    if (lines.length) this.deps.stream.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

const WORKLOAD = /^(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job)\//;

/** Cuts to `width` visible characters, keeping colour escape sequences whole. */
function cut(text: string, width: number): string {
  let visible = 0;
  let out = '';
  let coloured = false;
  for (let i = 0; i < text.length; i++) {
    const esc = /^\x1b\[[0-9;]*m/.exec(text.slice(i));
    if (esc) {
      out += esc[0];
      coloured = true;
      i += esc[0].length - 1;
      continue;
    }
    if (visible === width) return coloured ? `${out}\x1b[0m` : out;
    out += text[i];
    visible++;
  }
  return out;
}
