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
import { renderInputs, earlySource, startCommand, type Invocation } from '../invocation.js';

interface RenderFlags extends CommonFlags, SourceFlags, DeployIdentityFlags, RegistryFlags {
  strict: boolean;
  resolve: boolean;
  debug: boolean;
  values?: string[];
  set?: string[];
}

/** A template's rendered text as `render --debug` prints it: a header, then numbered lines. */
function numbered(template: string, text: string): string {
  const lines = text.split('\n');
  const width = String(lines.length).length;
  return `# Source: ${template} (rendered, before YAML parsing)\n${lines.map((l, i) => `${String(i + 1).padStart(width)} | ${l}`).join('\n')}\n`;
}

export function registerRender(program: Command, invocation: Invocation): Command {
  const command = program
    .command('render')
    .description('print the manifests with image references pinned to content digests')
    .addOption(booleanFlag('--resolve', 'pin each image to its registry manifest (<repo>:<digest>@sha256:...); exit 3 if one is missing'))
    .addOption(booleanFlag('--debug', 'print each template\'s rendered text with line numbers, valid YAML or not (exit 2 when one fails)'));
  addCommonOptions(command);
  addSourceOptions(command);
  addDeployIdentityOptions(command);
  addValuesOptions(command);
  addRegistryOptions(command);
  addStrictOption(command);
  addPlatformOption(command);
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<RenderFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const inputs = await renderInputs(flags);
    const [{ createDeps }, { renderWorkflow }] = await Promise.all([import('../deps.js'), import('../../workflows/render.js')]);
    const deps = await createDeps(flags, invocation.env, source, invocation.build);
    const listing: string[] = [];
    const debug = flags.debug ? (template: string, text: string) => listing.push(numbered(template, text)) : undefined;
    const result = await renderWorkflow({ ...inputs, resolve: Boolean(flags.resolve), signal: invocation.signal, ...(debug ? { debug } : {}) }, deps).catch((err: unknown) => {
      if (debug) invocation.partialText = listing.join('');
      throw err;
    });
    invocation.outcome = {
      text: debug ? listing.join('') : result.yaml,
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
