import { describe, expect, it } from 'vitest';
import { TreeFiles } from '../../core/tree-files.js';
import { InputError } from '../../errors.js';
import type { SourceTree } from '../../ports/index.js';
import { chartSources } from './chart-files.js';

/** A snapshot of files (text) and links (`-> target`). */
function tree(files: Record<string, string>): SourceTree & { reads: string[][] } {
  const reads: string[][] = [];
  const entries = TreeFiles.fromEntries(Object.entries(files).map(([p, c]) => [p, { mode: c.startsWith('-> ') ? '120000' : '100644', oid: p }] as const));
  return {
    commit: 'c',
    dev: false,
    projectPrefix: '',
    entries,
    changes: async () => [],
    reads,
    read: async (paths) => {
      reads.push([...paths]);
      return new Map(paths.map((p) => [p, Buffer.from(files[p]!.replace(/^-> /, ''))]));
    },
  };
}

const sources = async (files: Record<string, string>) => (await chartSources(tree(files), 'deploy', (p) => p)).sources;

describe('chart files and symbolic links', () => {
  it('follows links to committed files and directories, chains included, with each file named where the chart has it', async () => {
    const got = await sources({
      'deploy/values.yaml': 'a: 1',
      'deploy/templates/own.yaml': 'own',
      'deploy/templates/cm.yaml': '-> ../../shared/cm.yaml',
      'deploy/templates/lib': '-> ../../shared/lib',
      'deploy/templates/chain.yaml': '-> cm.yaml',
      'shared/cm.yaml': 'cm',
      'shared/lib/_helpers.tpl': 'h',
      'shared/lib/deep/x.yaml': '-> ../../cm.yaml',
    });
    expect(Object.fromEntries(got)).toEqual({
      'deploy/values.yaml': 'deploy/values.yaml',
      'deploy/templates/own.yaml': 'deploy/templates/own.yaml',
      'deploy/templates/cm.yaml': 'shared/cm.yaml',
      'deploy/templates/chain.yaml': 'shared/cm.yaml',
      'deploy/templates/lib/_helpers.tpl': 'shared/lib/_helpers.tpl',
      'deploy/templates/lib/deep/x.yaml': 'shared/cm.yaml',
    });
  });

  it('names what links lead to outside the chart: inputs like the chart itself', async () => {
    const got = await chartSources(tree({ 'deploy/templates/a.yaml': '-> ../../shared/a.yaml', 'deploy/templates/lib': '-> ../../lib', 'deploy/templates/in.yaml': '-> ../values.yaml', 'deploy/values.yaml': 'v', 'shared/a.yaml': 'a', 'lib/b.yaml': 'b' }), 'deploy', (p) => p);
    expect({ files: [...got.linked.files].sort(), dirs: got.linked.dirs }).toEqual({ files: ['lib/b.yaml', 'shared/a.yaml'], dirs: ['lib'] });
  });

  it('follows a chart directory that is itself a link, and names its target as an input', async () => {
    const got = await chartSources(tree({ deploy: '-> charts/app', 'charts/app/values.yaml': 'v', 'charts/app/templates/a.yaml': 'a' }), 'deploy', (p) => p);
    expect(Object.fromEntries(got.sources)).toEqual({ 'deploy/values.yaml': 'charts/app/values.yaml', 'deploy/templates/a.yaml': 'charts/app/templates/a.yaml' });
    expect(got.linked.dirs).toEqual(['charts/app']);
  });

  it('refuses links out of the repository, absolute, dangling or looping, each at its link, and reads nothing through them', async () => {
    const t = tree({
      'deploy/templates/ok.yaml': 'ok',
      'deploy/templates/passwd.yaml': '-> /etc/passwd',
      'deploy/templates/up.yaml': '-> ../../../outside.yaml',
      'deploy/templates/gone.yaml': '-> nothere.yaml',
      'deploy/templates/a.yaml': '-> b.yaml',
      'deploy/templates/b.yaml': '-> a.yaml',
    });
    const err = await chartSources(t, 'deploy', (p) => p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    const issues = (err as InputError).issues!.map((i) => `${i.file}: ${i.message}`).sort();
    expect(issues).toEqual([
      'deploy/templates/a.yaml: symbolic link to "b.yaml": links lead on more than 8 times (a loop?)',
      'deploy/templates/b.yaml: symbolic link to "a.yaml": links lead on more than 8 times (a loop?)',
      'deploy/templates/gone.yaml: symbolic link to "nothere.yaml": not in the commit',
      'deploy/templates/passwd.yaml: symbolic link to "/etc/passwd": outside the repository (only the commit is read)',
      'deploy/templates/up.yaml: symbolic link to "../../../outside.yaml": outside the repository (only the commit is read)',
    ]);
    expect(t.reads.flat().filter((p) => !p.startsWith('deploy/'))).toEqual([]);
  });

  it('stops directory links that lead back up before they multiply the chart', async () => {
    const links = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`deploy/templates/l${i}`, '-> .']));
    const err = await sources({ 'deploy/templates/t.yaml': 't', ...links }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).issues![0]!.message).toMatch(/more than 100000 files of the chart/);
  });
});
