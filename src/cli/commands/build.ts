// `slipway build [IMAGE...]`: build and push only what the registry lacks; print the refs.
import { Command } from 'commander';
import {
  addBuildOptions,
  addCommonOptions,
  addRegistryOptions,
  addSourceOptions,
  addStrictOption,
  type CommonFlags,
  type RegistryFlags,
  type SourceFlags,
} from '../options.js';
import { projectOptions, earlySource, startCommand, type Invocation } from '../invocation.js';

interface BuildFlags extends CommonFlags, SourceFlags, RegistryFlags {
  strict: boolean;
  parallel: string;
  platform?: string;
}

export function registerBuild(program: Command, invocation: Invocation): Command {
  const command = program
    .command('build')
    .description('build and push the images the registry does not hold yet; print their references')
    .argument('[image...]', 'images to build, with the images they need (default: all)');
  addCommonOptions(command);
  addSourceOptions(command);
  addRegistryOptions(command);
  addBuildOptions(command);
  addStrictOption(command);
  return command.action(async (images: string[], _opts: unknown, cmd: Command) => {
    const flags = startCommand<BuildFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const [{ createDeps }, { buildWorkflow }] = await Promise.all([import('../deps.js'), import('../../workflows/build.js')]);
    const deps = await createDeps(flags, invocation.env, source);
    const result = await buildWorkflow(
      {
        ...projectOptions(flags),
        platform: flags.platform,
        images,
        parallel: Number(flags.parallel),
        signal: invocation.signal,
      },
      deps,
    );
    const width = Math.max(0, ...result.images.map((i) => i.name.length));
    invocation.outcome = {
      text: result.images.map((i) => `${i.name.padEnd(width)}  ${i.ref}  ${i.built ? 'built' : 'present'}\n`).join(''),
      json: {
        commit: result.commit,
        images: result.images.map((i) => ({ name: i.name, ref: i.ref, digest: i.digest, built: i.built, present: i.present, manifest: i.manifest, seconds: i.seconds, ...(i.commit ? { commit: i.commit } : {}) })),
      },
    };
  });
}
