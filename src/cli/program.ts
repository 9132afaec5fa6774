// The commander program: every command registered here, in one list.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerCleanup } from './commands/cleanup.js';
import { registerConverge } from './commands/converge.js';
import { registerPlan } from './commands/plan.js';
import { registerDismiss, registerHistory, registerRollback } from './commands/release.js';
import { registerDigest } from './commands/digest.js';
import { registerInit } from './commands/init.js';
import { registerRender } from './commands/render.js';
import { registerVerify } from './commands/verify.js';
import type { Invocation } from './invocation.js';

export type { Invocation } from './invocation.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const COMMANDS: [string, (program: Command, invocation: Invocation) => Command][] = [
  ['digest', registerDigest],
  ['build', registerBuild],
  ['render', registerRender],
  ['plan', registerPlan],
  ['converge', registerConverge],
  ['rollback', registerRollback],
  ['history', registerHistory],
  ['dismiss', registerDismiss],
  ['cleanup', registerCleanup],
  ['verify', registerVerify],
  ['init', registerInit],
];

/**
 * `writeOut`: where help and version text go (for --output json, into the result object).
 * `only`: the command being run; the others' options are then not built (the program's own help
 * and unknown commands need them all).
 */
export function buildProgram(invocation: Invocation, writeOut?: (text: string) => void, only?: string): Command {
  const program = new Command('slipway')
    .description('Deterministic build-tag-deploy for Kubernetes: the Git commit alone decides what runs.')
    .version(packageVersion(), '--version', 'print the version')
    .exitOverride()
    .configureHelp({ sortOptions: false, showGlobalOptions: false });
  if (writeOut) program.configureOutput({ writeOut });
  const one = COMMANDS.find(([name]) => name === only);
  for (const [, register] of one ? [one] : COMMANDS) register(program, invocation).exitOverride();
  return program;
}
