// `slipway plan`: what converge would change, as diffs; `--exit-code` 0 (none) or 6 (some).
import { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import {
  addClusterOptions,
  addPlatformOption,
  addCommonOptions,
  addDeployIdentityOptions,
  addRegistryOptions,
  addSourceOptions,
  addStrictOption,
  addValuesOptions,
  booleanFlag,
  type ClusterFlags,
  type CommonFlags,
  type DeployIdentityFlags,
  type RegistryFlags,
  type SourceFlags,
} from '../options.js';
import { renderInputs, earlySource, startCommand, type Invocation } from '../invocation.js';

interface PlanFlags extends CommonFlags, SourceFlags, DeployIdentityFlags, RegistryFlags, ClusterFlags {
  strict: boolean;
  values?: string[];
  set?: string[];
  exitCode: boolean;
}

export function registerPlan(program: Command, invocation: Invocation): Command {
  const command = program.command('plan').description('show what converge would create, update or delete, as diffs (Secret values masked)');
  for (const add of [addCommonOptions, addSourceOptions, addDeployIdentityOptions, addValuesOptions, addRegistryOptions, addClusterOptions, addStrictOption, addPlatformOption]) add(command);
  command.addOption(booleanFlag('--exit-code', 'exit 6 when something would change, 0 when nothing would'));
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<PlanFlags>(cmd, invocation);
    const source = earlySource(flags, invocation);
    const inputs = await renderInputs(flags);
    const [{ createDeps, clusterFactory }, { planWorkflow }] = await Promise.all([import('../deps.js'), import('../../workflows/plan.js')]);
    const deps = await createDeps(flags, invocation.env, source, invocation.build);
    const clusters = clusterFactory(flags, invocation.env);
    try {
      const result = await planWorkflow(
        { ...inputs, signal: invocation.signal },
        { source: deps.source, reporter: deps.reporter, registry: () => deps.registry, cluster: clusters.cluster, templates: deps.templates },
      );
      const changed = result.changes.filter((c) => c.action !== 'unchanged');
      const toBuild = result.images.filter((i) => !i.present);
      const lines = [
        ...toBuild.map((i) => `image ${i.name}: ${i.ref} (to be built)\n`),
        ...result.changes.map((c) => `${c.action.padEnd(9)} ${c.kind}/${c.namespace ? `${c.namespace}/` : ''}${c.name}\n${c.diff}`),
        `${changed.length === 0 ? 'no changes' : `${changed.length} change${changed.length === 1 ? '' : 's'}`}: ${['create', 'update', 'delete', 'unchanged'].map((a) => `${result.changes.filter((c) => c.action === a).length} to ${a === 'unchanged' ? 'keep' : a}`).join(', ')}\n`,
      ];
      invocation.outcome = {
        text: lines.join(''),
        json: { release: result.release, namespace: result.namespace, commit: result.commit, images: result.images, resources: result.changes },
        exitCode: flags.exitCode && changed.length > 0 ? ExitCode.changes : ExitCode.ok,
      };
    } finally {
      clusters.close();
    }
  });
}
