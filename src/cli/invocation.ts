// What a command action shares with main: the parsed flags and the outcome to print. Commands
// import this, never program.ts, so the command registry and the commands form no cycle.
import type { Command } from 'commander';
import type { StartedSnapshot } from '../adapters/git-snapshot.js';
import { openSourceEarly } from './early-source.js';
import { applyBooleanEnv, type CommonFlags, type SourceFlags } from './options.js';
import type { CommandOutcome } from './result.js';

/** What the running command tells main, so that main alone prints results and exits. */
export interface Invocation {
  command: string;
  flags?: CommonFlags;
  outcome?: CommandOutcome;
  /** What is known before a failure (release, namespace, commit), for the JSON result. */
  partial?: Record<string, unknown>;
  /** Text for stdout even when the command fails (render --debug's listing). */
  partialText?: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: workflows stop cleanly and main exits 130. */
  signal?: AbortSignal;
  /** The Git snapshot started before the CLI loaded (cli/prestart.ts), if the launcher started one. */
  prestarted?: StartedSnapshot;
  /** The build of slipway running (bin/slipway reads it from the bundle): keys the template cache. */
  build?: string;
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
export function projectOptions(flags: CommonFlags & SourceFlags & { repo?: string; strict?: boolean; platform?: string }) {
  return { dir: flags.dir, commit: flags.commit, dev: Boolean(flags.dev), repo: flags.repo, strict: Boolean(flags.strict), platform: flags.platform };
}

/** The project's snapshot, opened now (see early-source.ts), for createDeps. */
export const earlySource = (flags: CommonFlags & SourceFlags, invocation: Invocation) => {
  const { dir, commit, dev } = projectOptions(flags);
  return openSourceEarly({ dir, commit, dev }, invocation.prestarted);
};

/** Project, release identity and values: what render, plan and converge read alike. */
export async function renderInputs(
  flags: CommonFlags & SourceFlags & { repo?: string; strict?: boolean; platform?: string; env?: string; release?: string; namespace?: string; values?: string[]; set?: string[] },
) {
  const { readValuesFiles } = await import('./values-files.js');
  return {
    ...projectOptions(flags),
    env: flags.env,
    release: flags.release,
    namespace: flags.namespace,
    valuesFiles: await readValuesFiles(flags.values ?? []),
    set: flags.set ?? [],
  };
}
