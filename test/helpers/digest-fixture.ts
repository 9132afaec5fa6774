// A small two-image project for digest tests, and a way to compute its digests with the real git.
import { GitSourceRepo } from '../../src/adapters/git.js';
import type { SlipwayEvent } from '../../src/core/events.js';
import { digestWorkflow } from '../../src/workflows/digest.js';
import type { FileTree } from './git-fixture.js';

export const PINNED = `alpine@sha256:${'0'.repeat(64)}`;

export const BASE_PROJECT: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web:\n    args: { MODE: prod }\n  worker:\n    dockerfile: Dockerfile.worker\n',
  Dockerfile: `FROM ${PINNED}\nARG MODE\n# copy the sources\nCOPY src/ /app/src/\nCOPY config.json /app/\nRUN echo $MODE > /mode\n`,
  'Dockerfile.worker': 'FROM web\nCOPY worker.sh /worker.sh\n',
  '.dockerignore': '**/*.test.js\n',
  'src/main.js': 'console.log("main")\n',
  'src/util.js': 'export const x = 1\n',
  'src/main.test.js': 'test()\n',
  'config.json': '{"a":1}\n',
  'worker.sh': 'echo work\n',
  'README.md': '# app\n',
  'docs/guide.md': 'guide\n',
};

export async function digests(dir: string, extra: { dev?: boolean; commit?: string } = {}): Promise<Record<string, string>> {
  const events: SlipwayEvent[] = [];
  const result = await digestWorkflow(
    { dir, dev: extra.dev ?? false, commit: extra.commit, strict: false, images: [] },
    { source: new GitSourceRepo(), reporter: { emit: (e) => events.push(e) } },
  );
  return Object.fromEntries(result.images.map((i) => [i.name, i.digest]));
}
