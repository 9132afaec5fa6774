// `slipway history`, `rollback` and `dismiss`: the release as the cluster records it.
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  addClusterOptions,
  addCommonOptions,
  addDeployIdentityOptions,
  addLockOption,
  addSourceOptions,
  booleanFlag,
  durationMs,
  type ClusterFlags,
  type CommonFlags,
  type DeployIdentityFlags,
  type SourceFlags,
} from '../options.js';
import { projectOptions, startCommand, type Invocation } from '../invocation.js';

interface ReleaseFlags extends CommonFlags, SourceFlags, DeployIdentityFlags, ClusterFlags {
  lockTimeout: string;
  revision?: string;
  withNamespace: boolean;
}

function withCluster(command: Command, invocation: Invocation, run: (flags: ReleaseFlags, deps: Awaited<ReturnType<typeof depsFor>>) => Promise<void>): Command {
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<ReleaseFlags>(cmd, invocation);
    const deps = await depsFor(flags, invocation);
    try {
      await run(flags, deps);
    } finally {
      deps.close();
    }
  });
}

async function depsFor(flags: ReleaseFlags, invocation: Invocation) {
  const { createDeps, clusterFactory } = await import('../deps.js');
  const deps = await createDeps(flags, invocation.env);
  const clusters = clusterFactory(flags, invocation.env);
  return { source: deps.source, reporter: deps.reporter, cluster: clusters.cluster, close: clusters.close };
}

const identity = (flags: ReleaseFlags) => ({ ...projectOptions(flags), env: flags.env, release: flags.release, namespace: flags.namespace });

function common(command: Command): Command {
  for (const add of [addCommonOptions, addSourceOptions, addDeployIdentityOptions, addClusterOptions]) add(command);
  return command;
}

export function registerHistory(program: Command, invocation: Invocation): Command {
  const command = common(program.command('history').description("list the release's revisions: number, commit, status, time, images"));
  return withCluster(command, invocation, async (flags, deps) => {
    const [{ historyWorkflow }, { table }] = await Promise.all([import('../../workflows/history.js'), import('../format/resources.js')]);
    const result = await historyWorkflow({ ...identity(flags), signal: invocation.signal }, deps);
    invocation.outcome = {
      text: table([
        ['REVISION', 'COMMIT', 'STATUS', 'STARTED', 'FINISHED', 'IMAGES', 'NOTE'],
        ...result.records.map((r) => [String(r.revision), r.commit.slice(0, 12), r.status, r.startedAt, r.finishedAt ?? '', r.images.map((i) => `${i.name}@${i.digest.slice(0, 12)}`).join(','), r.note ?? '']),
      ]),
      json: {
        release: result.release,
        namespace: result.namespace,
        revisions: result.records.map((r) => ({ revision: r.revision, commit: r.commit, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt ?? null, images: r.images, note: r.note ?? null })),
      },
    };
  });
}

function revisionNumber(value: string): string {
  if (!/^[1-9][0-9]*$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a revision number`);
  return value;
}

export function registerRollback(program: Command, invocation: Invocation): Command {
  const command = common(program.command('rollback').description('re-apply an earlier deployed revision as a new revision, and track it'));
  addLockOption(command);
  command.addOption(new Option('--revision <n>', 'the revision to go back to (default: the deployed one before the newest)').env('SLIPWAY_REVISION').argParser(revisionNumber));
  return withCluster(command, invocation, async (flags, deps) => {
    const [{ rollbackWorkflow }, { resourceTable }] = await Promise.all([import('../../workflows/rollback.js'), import('../format/resources.js')]);
    const result = await rollbackWorkflow(
      { ...identity(flags), revision: flags.revision ? Number(flags.revision) : undefined, timeoutMs: durationMs(flags.timeout), lockTimeoutMs: durationMs(flags.lockTimeout), signal: invocation.signal },
      deps,
    );
    invocation.outcome = {
      text: resourceTable(result.resources),
      json: { release: result.release, namespace: result.namespace, revision: result.revision, rolledBackTo: result.target, commit: result.commit, resources: result.resources },
    };
  });
}

export function registerDismiss(program: Command, invocation: Invocation): Command {
  const command = common(program.command('dismiss').description('delete every object of the release and its records; wait until they are gone'));
  addLockOption(command);
  command.addOption(booleanFlag('--with-namespace', 'also delete the release namespace'));
  return withCluster(command, invocation, async (flags, deps) => {
    const { dismissWorkflow } = await import('../../workflows/dismiss.js');
    const result = await dismissWorkflow(
      { ...identity(flags), withNamespace: Boolean(flags.withNamespace), lockTimeoutMs: durationMs(flags.lockTimeout), timeoutMs: durationMs(flags.timeout), signal: invocation.signal },
      deps,
    );
    invocation.outcome = {
      text: result.deleted.map((d) => `deleted ${d.kind}/${d.namespace ? `${d.namespace}/` : ''}${d.name}\n`).join(''),
      json: { release: result.release, namespace: result.namespace, resources: result.deleted.map((d) => ({ kind: d.kind, namespace: d.namespace ?? null, name: d.name, action: 'deleted' })) },
    };
  });
}
