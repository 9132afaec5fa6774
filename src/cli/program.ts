// The commander program: every command registered here, in one list.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerConverge } from './commands/converge.js';
import { registerPlan } from './commands/plan.js';
import { registerDismiss, registerHistory, registerRollback } from './commands/release.js';
import { registerDigest } from './commands/digest.js';
import { registerRender } from './commands/render.js';
import { applyBooleanEnv, type CommonFlags, type SourceFlags } from './options.js';
import type { CommandOutcome } from './result.js';

/** What the running command tells main, so that main alone prints results and exits. */
export interface Invocation {
  command: string;
  flags?: CommonFlags;
  outcome?: CommandOutcome;
  /** What is known before a failure (release, namespace, commit), for the JSON result. */
  partial?: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: workflows stop cleanly and main exits 130. */
  signal?: AbortSignal;
}

/** Every action starts here: flags from the command line and SLIPWAY_* variables, recorded for main. */
export function startCommand<F extends CommonFlags>(cmd: Command, invocation: Invocation): F {
  applyBooleanEnv(cmd, invocation.env);
  const flags = cmd.opts<F>();
  invocation.command = cmd.name();
  invocation.flags = flags;
  return flags;
}

/** The options every workflow that reads the project takes, from the shared flags. */
export function projectOptions(flags: CommonFlags & SourceFlags & { repo?: string; strict?: boolean }) {
  return { dir: flags.dir, commit: flags.commit, dev: Boolean(flags.dev), repo: flags.repo, strict: Boolean(flags.strict) };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(invocation: Invocation): Command {
  const program = new Command('slipway')
    .description('Deterministic build-tag-deploy for Kubernetes: the Git commit alone decides what runs.')
    .version(packageVersion(), '--version', 'print the version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureHelp({ sortOptions: false, showGlobalOptions: false });
  for (const register of [registerDigest, registerBuild, registerRender, registerPlan, registerConverge, registerRollback, registerHistory, registerDismiss]) {
    register(program, invocation).exitOverride().showHelpAfterError('(add --help for usage)');
  }
  return program;
}
