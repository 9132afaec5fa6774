// The bad-input corpus (issue 8): each case runs the built CLI twice, in text and in JSON mode,
// and checks what every failure owes the user: the exit code, a located headline, a `hint:`,
// no stack trace, nothing on stdout in text mode, exactly one JSON object with --output json.
import { expect } from 'vitest';
import { slipwayAsync } from './cli.js';
import { gitRepo, type FileTree } from './git-fixture.js';

export interface BadInput {
  name: string;
  /** The project (committed); omitted: BASE. */
  files?: FileTree;
  /** Arguments after the command's `--dir <repo>`; `{repo}` is replaced by the project dir. */
  args: string[];
  env?: Record<string, string | undefined>;
  code: number;
  headline: RegExp;
  /** Run without `--dir` (usage errors that never reach a project). */
  noDir?: boolean;
  /** The bad input is the output format itself: adding --output json would replace it. */
  textOnly?: boolean;
}

export const BASE: FileTree = {
  'slipway.yaml': 'project: app\nrepo: registry.example.com/app\nimages:\n  web: {}\n',
  Dockerfile: 'FROM busybox:stable\nCOPY index.html /www/\n',
  'index.html': 'hi\n',
  'deploy/values.yaml': 'name: demo\nreplicas: 1\n',
  'deploy/values.production.yaml': '',
  'deploy/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{values.name}}\ndata:\n  image: {{images.web.ref}}\n',
};

const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?/;

export async function checkBadInput(c: BadInput): Promise<void> {
  const repo = c.noDir ? '' : gitRepo(c.files ?? BASE);
  const args = c.args.map((a) => a.replace('{repo}', repo));
  const full = c.noDir ? args : [args[0]!, '--dir', repo, ...args.slice(1)];
  const env = { SLIPWAY_REPO: undefined, KUBECONFIG: '/nonexistent/kubeconfig', ...c.env };
  const [text, json] = await Promise.all([slipwayAsync(full, { env }), c.textOnly ? undefined : slipwayAsync([...full, '--output', 'json'], { env })]);
  const context = `${c.name}\n--- stderr ---\n${text.stderr}`;
  expect(text.code, context).toBe(c.code);
  expect(text.stdout, context).toBe('');
  expect(text.stderr, context).toMatch(c.headline);
  expect(text.stderr, context).toMatch(/(^|\n)hint: \S/);
  expect(text.stderr, context).not.toMatch(STACK_TRACE);
  expect(text.stderr, context).not.toMatch(/lookupProperty|container\.strict|Cannot use 'in' operator|Cannot read properties|internal error/);
  if (!json) return;
  expect(json.code, `${c.name} (json)\n${json.stderr}`).toBe(c.code);
  let parsed: { ok: boolean; exitCode: number; error: { message: string; hint?: string } };
  try {
    parsed = JSON.parse(json.stdout);
  } catch {
    throw new Error(`${c.name}: --output json printed no single JSON object:\n${json.stdout}`);
  }
  expect(parsed, c.name).toMatchObject({ ok: false, exitCode: c.code });
  expect(parsed.error.message.length, c.name).toBeGreaterThan(0);
}
