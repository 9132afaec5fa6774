// `slipway converge`: build what is missing, render pinned, apply, prune, track; a release record per run.
import { Command } from 'commander';
import {
  addBuildOptions,
  addClusterOptions,
  addCommonOptions,
  addDeployIdentityOptions,
  addDeployOptions,
  addLockOption,
  addRegistryOptions,
  addSourceOptions,
  addStrictOption,
  addValuesOptions,
  durationMs,
  type ClusterFlags,
  type CommonFlags,
  type DeployIdentityFlags,
  type RegistryFlags,
  type SourceFlags,
} from '../options.js';
import { renderInputs, earlySource, startCommand, type Invocation } from '../invocation.js';

interface ConvergeFlags extends CommonFlags, SourceFlags, DeployIdentityFlags, RegistryFlags, ClusterFlags {
  strict: boolean;
  parallel: string;
  platform?: string;
  values?: string[];
  set?: string[];
  lockTimeout: string;
  atomic: boolean;
  requireBuiltImages: boolean;
}

export function registerConverge(program: Command, invocation: Invocation): Command {
  const command = program.command('converge').description('build what is missing, apply the manifests, prune, and track the rollout until ready');
  for (const add of [addCommonOptions, addSourceOptions, addDeployIdentityOptions, addValuesOptions, addRegistryOptions, addBuildOptions, addClusterOptions, addLockOption, addDeployOptions, addStrictOption]) add(command);
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<ConvergeFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const inputs = await renderInputs(flags);
    const [{ createDeps, clusterFactory }, { convergeWorkflow }, { resourceTable }] = await Promise.all([
      import('../deps.js'),
      import('../../workflows/converge.js'),
      import('../format/resources.js'),
    ]);
    const deps = await createDeps(flags, invocation.env, source, invocation.build);
    const clusters = clusterFactory(flags, invocation.env);
    try {
      const result = await convergeWorkflow(
        {
          ...inputs,
          platform: flags.platform,
          parallel: Number(flags.parallel),
          requireBuiltImages: Boolean(flags.requireBuiltImages),
          atomic: Boolean(flags.atomic),
          timeoutMs: durationMs(flags.timeout),
          lockTimeoutMs: durationMs(flags.lockTimeout),
          signal: invocation.signal,
        },
        {
          source: deps.source,
          reporter: deps.reporter,
          registry: () => deps.registry,
          engine: () => deps.engine,
          layers: () => deps.layers,
          templates: deps.templates,
          cluster: clusters.cluster,
          identify: (identity) => (invocation.partial = identity),
        },
      );
      invocation.outcome = {
        text: resourceTable(result.resources),
        json: {
          release: result.release,
          namespace: result.namespace,
          revision: result.revision,
          commit: result.commit,
          images: result.images.map((i) => ({ name: i.name, ref: i.ref ?? null, digest: i.digest, built: i.built, seconds: i.seconds })),
          resources: result.resources,
        },
      };
    } finally {
      clusters.close();
    }
  });
}
