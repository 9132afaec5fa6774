// `slipway render`: the manifests, byte-identical for the same commit and values; offline.
import { Command } from 'commander';
import {
  addCommonOptions,
  addPlatformOption,
  addDeployIdentityOptions,
  addRegistryOptions,
  addSourceOptions,
  addStrictOption,
  addValuesOptions,
  booleanFlag,
  type CommonFlags,
  type DeployIdentityFlags,
  type RegistryFlags,
  type SourceFlags,
} from '../options.js';
import { renderInputs, startCommand, type Invocation } from '../invocation.js';

interface RenderFlags extends CommonFlags, SourceFlags, DeployIdentityFlags, RegistryFlags {
  strict: boolean;
  resolve: boolean;
  values?: string[];
  set?: string[];
}

export function registerRender(program: Command, invocation: Invocation): Command {
  const command = program
    .command('render')
    .description('print the manifests with image references pinned to content digests')
    .addOption(booleanFlag('--resolve', 'pin each image to its registry manifest (<repo>:<digest>@sha256:...); exit 3 if one is missing'));
  addCommonOptions(command);
  addSourceOptions(command);
  addDeployIdentityOptions(command);
  addValuesOptions(command);
  addRegistryOptions(command);
  addStrictOption(command);
  addPlatformOption(command);
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<RenderFlags>(cmd, invocation);
    const inputs = await renderInputs(flags);
    const [{ createDeps }, { renderWorkflow }] = await Promise.all([import('../deps.js'), import('../../workflows/render.js')]);
    const deps = await createDeps(flags, invocation.env);
    const result = await renderWorkflow(
      {
        ...inputs,
        resolve: Boolean(flags.resolve),
        signal: invocation.signal,
      },
      deps,
    );
    invocation.outcome = {
      text: result.yaml,
      json: {
        release: result.release,
        namespace: result.namespace,
        commit: result.commit,
        images: result.images.map((i) => ({ name: i.name, ref: i.ref ?? null, digest: i.digest })),
        manifests: result.manifests.map((m) => m.object),
      },
    };
  });
}
