// The commander program: every command registered here, in one list.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerDigest } from './commands/digest.js';
import { registerRender } from './commands/render.js';
import type { CommonFlags } from './options.js';
import type { CommandOutcome } from './result.js';

/** What the running command tells main, so that main alone prints results and exits. */
export interface Invocation {
  command: string;
  flags?: CommonFlags;
  outcome?: CommandOutcome;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: workflows stop cleanly and main exits 130. */
  signal?: AbortSignal;
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
  for (const register of [registerDigest, registerBuild, registerRender]) {
    register(program, invocation).exitOverride().showHelpAfterError('(add --help for usage)');
  }
  return program;
}
