// `slipway cleanup`: delete the registry tags that Git history, the clusters and recent builds do not need.
import { Command, InvalidArgumentError, Option } from 'commander';
import { addCommonOptions, addRegistryOptions, booleanFlag, durationMs, type CommonFlags, type RegistryFlags } from '../options.js';
import { projectOptions, startCommand, type Invocation } from '../invocation.js';

interface CleanupFlags extends CommonFlags, RegistryFlags {
  keepCommits: string;
  keepYoungerThan: string;
  kubeconfig?: string;
  kubeContext?: string[];
  namespace?: string[];
  dryRun: boolean;
}

const count = (value: string): string => {
  if (!/^[0-9]+$/.test(value) || Number(value) > 10_000) throw new InvalidArgumentError(`"${value}" must be a whole number from 0 to 10000`);
  return value;
};

export function registerCleanup(program: Command, invocation: Invocation): Command {
  const command = program.command('cleanup').description('delete registry tags no longer needed (Git history, releases, running pods and recent builds keep theirs)');
  addCommonOptions(command);
  addRegistryOptions(command);
  command
    .addOption(new Option('--keep-commits <n>', 'keep the digests of the last N commits of each branch and tag').default('10').env('SLIPWAY_KEEP_COMMITS').argParser(count))
    .addOption(
      new Option('--keep-younger-than <duration>', 'keep images built less than this long ago').default('2h').env('SLIPWAY_KEEP_YOUNGER_THAN').argParser((v: string) => (durationMs(v), v)),
    )
    .addOption(new Option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)').env('SLIPWAY_KUBECONFIG'))
    .addOption(new Option('--kube-context <name>', 'a cluster whose releases and pods keep their images (repeatable; default: the current context)').env('SLIPWAY_KUBE_CONTEXT').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .addOption(new Option('--namespace <ns>', 'read release records only here (repeatable; default: every namespace)').env('SLIPWAY_NAMESPACE').argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]))
    .addOption(booleanFlag('--dry-run', 'print the plan; delete nothing'));
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<CleanupFlags>(cmd, invocation);
    const [{ createDeps, clusterFactory }, { cleanupWorkflow }, { table }] = await Promise.all([
      import('../deps.js'),
      import('../../workflows/cleanup.js'),
      import('../format/resources.js'),
    ]);
    const deps = await createDeps(flags, invocation.env);
    const factories = (flags.kubeContext?.length ? flags.kubeContext : [undefined]).map((context) =>
      clusterFactory({ kubeconfig: flags.kubeconfig, kubeContext: context, timeout: '0' }, invocation.env),
    );
    try {
      const rows = await cleanupWorkflow(
        {
          ...projectOptions({ ...flags, dev: false, strict: false }),
          keepCommits: Number(flags.keepCommits),
          keepYoungerThanMs: durationMs(flags.keepYoungerThan),
          dryRun: Boolean(flags.dryRun),
          namespaces: flags.namespace,
          signal: invocation.signal,
        },
        { source: deps.source, reporter: deps.reporter, registry: () => deps.registry, clusters: () => Promise.all(factories.map((f) => f.cluster())) },
      );
      const deleted = rows.filter((r) => r.action === 'delete');
      invocation.outcome = {
        text:
          table([['IMAGE', 'TAG', 'ACTION', 'REASON', 'AGE'], ...rows.map((r) => [r.image, r.tag, r.action === 'delete' && flags.dryRun ? 'would delete' : r.action === 'delete' ? 'deleted' : 'keep', r.reason, r.ageSeconds === null ? '' : `${Math.round(r.ageSeconds / 60)}m`])]) +
          `${deleted.length} tag${deleted.length === 1 ? '' : 's'} ${flags.dryRun ? 'would be deleted' : 'deleted'}, ${rows.length - deleted.length} kept\n`,
        json: { dryRun: Boolean(flags.dryRun), tags: rows.map((r) => ({ ...r, deleted: r.action === 'delete' && !flags.dryRun })) },
      };
    } finally {
      for (const f of factories) f.close();
    }
  });
}
