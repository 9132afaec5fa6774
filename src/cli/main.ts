// Entry point and the single exit: runs the program, prints the result (stdout) or one
// headline (stderr), and sets the exit code of SPEC section 2.
import { CommanderError } from 'commander';
import { ExitCode, InternalError, InterruptedError, SlipwayError } from '../errors.js';
import { paint } from '../report/index.js';
import type { StartedSnapshot } from '../adapters/git-snapshot.js';
import type { Invocation } from './invocation.js';
import { buildProgram } from './program.js';
import type { JsonResult } from './result.js';

/**
 * `prestarted`: the Git snapshot bin/slipway started before loading the CLI (cli/prestart.ts);
 * `build`: the bundle's build hash, which bin/slipway reads (none when run from the sources).
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, prestarted?: StartedSnapshot, build?: string): Promise<number> {
  // hrtime, not performance.now(): the global `performance` loads perf_hooks (a dozen modules).
  const started = process.hrtime.bigint();
  const interrupt = new AbortController();
  const invocation: Invocation = { command: argv[2] ?? 'slipway', env, signal: interrupt.signal, prestarted, build };
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(ExitCode.interrupted); // a second ^C: stop waiting
    process.stderr.write('\ninterrupted: stopping cleanly (press ^C again to exit now)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const wantsJson = () => (invocation.flags ? invocation.flags.output === 'json' : argvWantsJson(argv, env));
  const seconds = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6) / 1000;
  try {
    if (argv.length <= 2) {
      buildProgram(invocation).outputHelp({ error: true });
      process.stderr.write('error: no command given\nhint: slipway --help lists the commands; slipway converge is the usual one\n');
      return ExitCode.input;
    }
    const help = { text: '' };
    const program = buildProgram(invocation, argvWantsJson(argv, env) ? (s) => (help.text += s) : undefined, argv[2]);
    try {
      await program.parseAsync(argv);
    } catch (err) {
      if (help.text && err instanceof CommanderError && ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code)) {
        // --output json: stdout is one JSON object, help included.
        const result: JsonResult = { command: invocation.command, ok: true, exitCode: 0, help: help.text, error: null, durationSeconds: seconds() };
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return ExitCode.ok;
      }
      throw err;
    }
    const outcome = invocation.outcome;
    if (!outcome) return ExitCode.ok;
    const code = outcome.exitCode ?? ExitCode.ok;
    if (wantsJson()) {
      const result: JsonResult = { command: invocation.command, ok: code === 0, exitCode: code, ...outcome.json, error: null, durationSeconds: seconds() };
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else process.stdout.write(outcome.text);
    return code;
  } catch (caught) {
    // Whatever a workflow threw while stopping for a signal, the run was interrupted.
    const err = interrupt.signal.aborted && !(caught instanceof InterruptedError) ? new InterruptedError('interrupted', { cause: caught }) : caught;
    if (err instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return ExitCode.ok;
      // commander printed the message already; the hint is ours.
      const command = buildProgram(invocation).commands.some((c) => c.name() === argv[2]) ? ` ${argv[2]}` : '';
      process.stderr.write(`hint: slipway${command} --help lists the commands and options\n`);
      if (wantsJson()) printJsonError(invocation.command, ExitCode.input, err.message.replace(/^error: /, ''), seconds(), { error: { code: ExitCode.input, message: err.message.replace(/^error: /, ''), hint: `slipway${command} --help lists the commands and options`, details: [] } });
      return ExitCode.input;
    }
    const error = err instanceof SlipwayError ? err : new InternalError(`internal error: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    if (invocation.partialText && !wantsJson()) process.stdout.write(invocation.partialText);
    await printHeadline(error, invocation);
    if (wantsJson()) printJsonError(invocation.command, error.exitCode, error.message, seconds(), { ...invocation.partial, ...error.json, error: { code: error.exitCode, message: error.message, hint: error.hint ?? null, details: error.details, issues: error.issues } });
    return error.exitCode;
  } finally {
    prestarted?.discard(); // not taken: the command read another directory or commit, or none
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function printJsonError(command: string, code: number, message: string, durationSeconds: number, extra: Record<string, unknown> = {}): void {
  const result: JsonResult = { command, ok: false, exitCode: code, error: { code, message }, ...extra, durationSeconds };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

async function printHeadline(error: SlipwayError, invocation: Invocation): Promise<void> {
  const c = await paint({ color: invocation.flags?.color ?? true, verbose: false, stream: process.stderr, env: invocation.env });
  const lines = [`${c.red('error:')} ${c.bold(error.message)}`, ...error.details.map((d) => `  ${d}`)];
  if (error.hint) lines.push(c.dim(`hint: ${error.hint}`));
  if (error instanceof InternalError) {
    const cause = error.cause as Error | undefined;
    lines.push(cause?.stack ?? String(cause), 'This is a bug in slipway; please report it with the output above.');
  } else if (invocation.flags?.verbose) {
    // The chain of causes as messages: what went wrong underneath, never slipway's own frames.
    for (let cause = error.cause, n = 0; cause instanceof Error && n < 5; cause = cause.cause, n++) {
      const code = (cause as NodeJS.ErrnoException).code;
      lines.push(c.dim(`cause: ${cause.name}${code ? ` ${code}` : ''}: ${cause.message}`));
    }
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

function argvWantsJson(argv: string[], env: NodeJS.ProcessEnv): boolean {
  const i = argv.indexOf('--output');
  return argv.includes('--output=json') || (i >= 0 && argv[i + 1] === 'json') || env.SLIPWAY_OUTPUT === 'json';
}
