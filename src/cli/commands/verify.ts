// `slipway verify [IMAGE...]`: rebuild without cache and compare with the registry (SPEC 5a).
import { Command } from 'commander';
import { addCommonOptions, addPlatformOption, addRegistryOptions, addSourceOptions, addStrictOption, type CommonFlags, type RegistryFlags, type SourceFlags } from '../options.js';
import { projectOptions, earlySource, startCommand, type Invocation } from '../invocation.js';

interface VerifyFlags extends CommonFlags, SourceFlags, RegistryFlags {
  strict: boolean;
  platform?: string;
}

export function registerVerify(program: Command, invocation: Invocation): Command {
  const command = program
    .command('verify')
    .description('rebuild images from scratch (no cache) and compare them byte for byte with what the registry holds under their digest')
    .argument('[image...]', 'images to verify (default: all)');
  addCommonOptions(command);
  addSourceOptions(command);
  addRegistryOptions(command);
  addPlatformOption(command);
  addStrictOption(command);
  return command.action(async (images: string[], _opts: unknown, cmd: Command) => {
    const flags = startCommand<VerifyFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const [{ createDeps }, { verifyWorkflow }] = await Promise.all([import('../deps.js'), import('../../workflows/verify.js')]);
    const deps = await createDeps(flags, invocation.env, source);
    const result = await verifyWorkflow({ ...projectOptions(flags), platform: flags.platform, images, signal: invocation.signal }, deps);
    const width = Math.max(0, ...result.images.map((i) => i.name.length));
    invocation.outcome = {
      text: result.images.map((i) => `${i.name.padEnd(width)}  ${i.ref}  reproduced ${i.registry}\n`).join(''),
      json: { commit: result.commit, images: result.images },
    };
  });
}
