// Interactive output on a TTY: ora spinners for steps, chalk colours; stderr only.
import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';
import type { SlipwayEvent } from '../core/events.js';
import type { Reporter } from '../ports/index.js';
import { formatWith, type Formatters } from './format.js';

export class TtyReporter implements Reporter {
  private readonly spinners = new Map<string, Ora>();
  private readonly formatters: Formatters<void>;
  private readonly lastState = new Map<string, string>();

  constructor(
    private readonly deps: { chalk: ChalkInstance; ora: (text: string) => Ora; stream: NodeJS.WritableStream; verbose: boolean },
  ) {
    const { chalk } = deps;
    const write = (s: string) => this.writeAboveSpinners(`${s}\n`);
    this.formatters = {
      warning: (e) => write(`${chalk.yellow('warning')} ${e.where ? `${chalk.dim(e.where)} ` : ''}${e.message}`),
      info: (e) => {
        if (this.deps.verbose) write(chalk.dim(e.message));
      },
      'step-start': (e) => {
        this.spinners.set(e.id, this.deps.ora(e.message).start());
      },
      'step-done': (e) => {
        const spinner = this.spinners.get(e.id);
        this.spinners.delete(e.id);
        // Our own symbols: ora's would carry colour even under --no-color.
        const symbol = e.ok ? chalk.green('✔') : chalk.red('✖');
        if (spinner) spinner.stopAndPersist({ symbol, text: e.message });
        else write(`${symbol} ${e.message}`);
      },
      waiting: (e) => write(chalk.dim(`… ${e.message}`)),
      applied: (e) => {
        if (e.action !== 'unchanged' || this.deps.verbose) write(`${chalk.dim(e.action)} ${e.id}`);
      },
      resource: (e) => {
        const key = `${e.state} ${e.ready}/${e.desired} ${e.message}`;
        if (this.lastState.get(e.id) === key) return;
        this.lastState.set(e.id, key);
        const symbol = e.state === 'ready' ? chalk.green('✔') : e.state === 'failed' ? chalk.red('✖') : chalk.cyan('…');
        write(`${symbol} ${e.id}${e.desired ? ` ${e.ready}/${e.desired} ready` : ''}${e.state === 'ready' ? '' : chalk.dim(` ${e.message}`)}`);
      },
      'image-digest': (e) => {
        if (this.deps.verbose) write(`${chalk.cyan(e.name)} ${chalk.dim(e.digest.slice(0, 12))} (${e.files} files)`);
      },
    };
  }

  emit(event: SlipwayEvent): void {
    formatWith(this.formatters, event);
  }

  private writeAboveSpinners(text: string): void {
    const active = [...this.spinners.values()];
    active.forEach((s) => s.clear());
    this.deps.stream.write(text);
    active.forEach((s) => s.render());
  }
}
