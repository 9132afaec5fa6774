// `slipway digest [IMAGE...]`: content digests and full references; no Docker, no cluster.
import { Command } from 'commander';
import { addCommonOptions, addPlatformOption, booleanFlag, addRegistryOptions, addSourceOptions, addStrictOption, type CommonFlags, type RegistryFlags, type SourceFlags } from '../options.js';
import { projectOptions, earlySource, startCommand, type Invocation } from '../invocation.js';

interface DigestFlags extends CommonFlags, SourceFlags, RegistryFlags {
  strict: boolean;
  explain: boolean;
  check: boolean;
}

export function registerDigest(program: Command, invocation: Invocation): Command {
  const command = program
    .command('digest')
    .description("print each image's content digest and full reference")
    .argument('[image...]', 'images to digest (default: all)')
    .addOption(booleanFlag('--explain', 'print every input of each digest (files, instructions, args, dependencies)'))
    .addOption(booleanFlag('--check', 'also say whether the registry already holds each image'));
  addCommonOptions(command);
  addSourceOptions(command);
  addRegistryOptions(command);
  addStrictOption(command);
  addPlatformOption(command);
  return command.action(async (images: string[], _opts: unknown, cmd: Command) => {
    const flags = startCommand<DigestFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const [{ createDeps }, { digestWorkflow }, { formatDigests, formatExplain }] = await Promise.all([
      import('../deps.js'),
      import('../../workflows/digest.js'),
      import('../format/digest.js'),
    ]);
    const deps = await createDeps(flags, invocation.env, source);
    const result = await digestWorkflow(
      { ...projectOptions(flags), images, check: Boolean(flags.check), signal: invocation.signal },
      deps,
    );
    invocation.outcome = {
      text: flags.explain ? formatExplain(result.images) : formatDigests(result.images),
      json: {
        commit: result.commit,
        images: result.images.map((i) => ({
          name: i.name,
          ref: i.ref ?? null,
          digest: i.digest,
          ...(i.present === undefined ? {} : { present: i.present }),
          ...(flags.explain ? { explain: { ...i.inputs, dockerfile: i.dockerfile, context: i.context, warnings: i.warnings } } : {}),
        })),
      },
    };
  });
}
