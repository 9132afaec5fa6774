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

/** `writeOut`: where help and version text go (for --output json, into the result object). */
export function buildProgram(invocation: Invocation, writeOut?: (text: string) => void): Command {
  const program = new Command('slipway')
    .description('Deterministic build-tag-deploy for Kubernetes: the Git commit alone decides what runs.')
    .version(packageVersion(), '--version', 'print the version')
    .exitOverride()
    .configureHelp({ sortOptions: false, showGlobalOptions: false });
  if (writeOut) program.configureOutput({ writeOut });
  for (const register of [registerDigest, registerBuild, registerRender, registerPlan, registerConverge, registerRollback, registerHistory, registerDismiss, registerCleanup, registerVerify, registerInit]) {
    register(program, invocation).exitOverride();
  }
  return program;
}
