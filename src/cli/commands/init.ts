// `slipway init`: a starter slipway.yaml and deploy/ chart from the Dockerfiles found.
import { Command, InvalidArgumentError, Option } from 'commander';
import { addCommonOptions, booleanFlag, type CommonFlags } from '../options.js';
import { startCommand, type Invocation } from '../invocation.js';

interface InitFlags extends CommonFlags {
  force: boolean;
  dryRun: boolean;
  image?: string[];
}

function imageOverride(value: string, previous: string[] | undefined): string[] {
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?=\S+$/.test(value)) throw new InvalidArgumentError(`"${value}" must be NAME=DIR (NAME: lowercase letters, digits, -)`);
  return [...(previous ?? []), value];
}

export function registerInit(program: Command, invocation: Invocation): Command {
  const command = program.command('init').description('write a starter slipway.yaml and deploy/ chart from the Dockerfiles found');
  addCommonOptions(command);
  command
    .addOption(booleanFlag('--force', 'replace files that already exist'))
    .addOption(booleanFlag('--dry-run', 'print what would be written; write nothing'))
    .addOption(new Option('--image <name=dir>', 'name the image built from DIR\'s Dockerfile (repeatable)').env('SLIPWAY_IMAGE').argParser(imageOverride));
  return command.action(async (_opts: unknown, cmd: Command) => {
    const flags = startCommand<InitFlags>(cmd, invocation);
    const [{ initWorkflow }, { createReporter }] = await Promise.all([import('../../workflows/init.js'), import('../../report/index.js')]);
    const reporter = await createReporter({ color: flags.color, verbose: flags.verbose, json: flags.output === 'json', stream: process.stderr, env: invocation.env });
    const overrides = Object.fromEntries((flags.image ?? []).map((pair) => pair.split(/=(.*)/s).slice(0, 2) as [string, string]));
    const result = await initWorkflow({ dir: flags.dir, force: Boolean(flags.force), dryRun: Boolean(flags.dryRun), images: overrides });
    for (const s of result.plan.skipped) reporter.emit({ kind: 'warning', where: s.path, message: `left out: ${s.reason}` });
    if (!flags.dryRun) {
      reporter.emit({
        kind: 'note',
        message: [
          'next:',
          `  git add slipway.yaml deploy && git commit -m "slipway init"`,
          `  slipway digest --dir ${flags.dir}                 # the images and their digests`,
          `  slipway render --dir ${flags.dir} --repo <registry>/<path>`,
          `  slipway converge --dir ${flags.dir} --repo <registry>/<path>`,
        ].join('\n'),
      });
    }
    invocation.outcome = {
      text: flags.dryRun
        ? result.files.map((f) => `--- ${f.path}${f.replaced ? ' (replaces the existing file)' : ''}\n${f.content}`).join('\n')
        : result.files.map((f) => `${f.replaced ? 'replaced' : 'wrote'} ${f.path}\n`).join(''),
      json: {
        project: result.plan.project,
        images: result.plan.images.map((i) => ({ ...i, ref: null, digest: '' })),
        files: result.files.map((f) => ({ path: f.path, replaced: f.replaced, written: !flags.dryRun })),
        skipped: result.plan.skipped,
      },
    };
  });
}
