// Bad-input corpus, part 1: slipway.yaml, Dockerfiles, .dockerignore, charts, values and --set.
import { describe, it } from 'vitest';
import { BASE, checkBadInput, type BadInput } from './helpers/bad-input.js';

const withFiles = (files: Record<string, string>) => ({ ...BASE, ...files });
const config = (text: string) => withFiles({ 'slipway.yaml': text });
const dockerfile = (text: string) => withFiles({ Dockerfile: text });
const template = (text: string) => withFiles({ 'deploy/templates/cm.yaml': text });
const CM = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ${data}\n`;
const SLIPWAY_YAML = /slipway\.yaml:\d+/;
const DOCKERFILE = /Dockerfile:\d+/;
const TEMPLATE = /deploy\/templates\/cm\.yaml:\d+/;

const cases: BadInput[] = [
  // slipway.yaml
  { name: 'config: no project', files: config('images:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: project with capitals', files: config('project: App\nimages:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: unknown top-level key', files: config('project: app\nimagez:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: images is a list', files: config('project: app\nimages:\n  - web\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: image context missing', files: config('project: app\nimages:\n  web:\n    context: nowhere\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: dockerfile missing', files: config('project: app\nimages:\n  web:\n    dockerfile: Nope.dockerfile\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: bad repo', files: config('project: app\nrepo: Not A Repo\nimages:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: bad platform', files: config('project: app\nplatform: linux\nimages:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: args not strings', files: config('project: app\nimages:\n  web:\n    args: [1, 2]\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: unknown dependency image', files: config('project: app\nimages:\n  web:\n    dependencies:\n      - image: api\n        arg: API\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: YAML syntax error', files: config('project: app\nimages:\n  web: {\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: tab indentation', files: config('project: app\nimages:\n\tweb: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: duplicate key', files: config('project: app\nproject: other\nimages:\n  web: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: empty file', files: config(''), args: ['digest'], code: 2, headline: /slipway\.yaml/ },
  { name: 'config: a scalar', files: config('just text\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: alias bomb', files: config(`a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nproject: app\n`), args: ['digest'], code: 2, headline: /slipway\.yaml/ },
  { name: 'config: deploy.chart missing', files: config('project: app\nimages:\n  web: {}\ndeploy:\n  chart: charts/none\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /chart not found: slipway\.yaml:\d+/ },
  { name: 'config: dependency cycle', files: { ...config('project: app\nimages:\n  a:\n    dockerfile: a.Dockerfile\n  b:\n    dockerfile: b.Dockerfile\n'), 'a.Dockerfile': 'FROM b\n', 'b.Dockerfile': 'FROM a\n' }, args: ['digest'], code: 2, headline: /cycle/ },
  { name: 'config: image name with a slash', files: config('project: app\nimages:\n  web/x: {}\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: unknown image key', files: config('project: app\nimages:\n  web:\n    contxt: .\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: target not a string', files: config('project: app\nimages:\n  web:\n    target: [a]\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: release name invalid', files: config('project: app\nimages:\n  web: {}\ndeploy:\n  release: Bad_Name\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  { name: 'config: context escapes the repository', files: config('project: app\nimages:\n  web:\n    context: ../..\n'), args: ['digest'], code: 2, headline: SLIPWAY_YAML },
  // Dockerfiles
  { name: 'dockerfile: unknown instruction', files: dockerfile('FROM busybox:stable\nCOPPY a /\n'), args: ['digest'], code: 2, headline: /Dockerfile:2: unknown instruction: COPPY/ },
  { name: 'dockerfile: no FROM', files: dockerfile('RUN echo hi\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: empty', files: dockerfile(''), args: ['digest'], code: 2, headline: /Dockerfile/ },
  { name: 'dockerfile: FROM undeclared variable', files: dockerfile('FROM ${UNDECLARED}\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: blank ARG base', files: dockerfile('ARG BASE\nFROM ${BASE}\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: unknown COPY flag', files: dockerfile('FROM busybox:stable\nCOPY --badflag index.html /\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: unterminated JSON form', files: dockerfile('FROM busybox:stable\nCOPY ["index.html", "/x"\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: JSON form of numbers', files: dockerfile('FROM busybox:stable\nCOPY [1, 2]\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: COPY source not in the commit', files: dockerfile('FROM busybox:stable\nCOPY missing.txt /\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: HEALTHCHECK with an unknown flag', files: dockerfile('FROM busybox:stable\nHEALTHCHECK --every=5s CMD true\n'), args: ['digest'], code: 2, headline: /Dockerfile:2: HEALTHCHECK: unknown flag --every/ },
  { name: 'dockerfile: target stage missing', files: config('project: app\nimages:\n  web:\n    target: nothere\n'), args: ['digest'], code: 2, headline: /nothere/ },
  { name: 'dockerfile: unknown FROM flag', files: dockerfile('FROM --plattform=linux/amd64 busybox:stable\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: ARG without a name', files: dockerfile('FROM busybox:stable\nARG\n'), args: ['digest'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: --strict and an unpinned base', args: ['digest', '--strict'], code: 2, headline: /Dockerfile:1/ },
  { name: 'dockerfile: ADD from a URL under --strict', files: dockerfile('FROM busybox@sha256:' + 'a'.repeat(64) + '\nADD https://example.com/x /x\n'), args: ['digest', '--strict'], code: 2, headline: DOCKERFILE },
  { name: 'dockerfile: RUN with an unknown flag', files: dockerfile('FROM busybox:stable\nRUN --netwrk=none echo hi\n'), args: ['digest'], code: 2, headline: /Dockerfile:2: RUN: unknown flag --netwrk/ },
  { name: 'dockerfile: ADD JSON form of numbers', files: dockerfile('FROM busybox:stable\nADD [1, "/x"]\n'), args: ['digest'], code: 2, headline: /Dockerfile:2: ADD: the JSON form must be a list of strings/ },
  // Charts and templates
  { name: 'chart: template syntax error', files: template('a: {{#if values.name}}\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: TEMPLATE },
  { name: 'chart: missing value', files: template(CM('a: {{values.nope}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml:6: "values\.nope" is not defined/ },
  { name: 'chart: missing value in a helper', files: template(CM('a: {{quote values.typo}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml:6: "values\.typo"/ },
  { name: 'chart: missing intermediate', files: template(CM('a: {{default 1 values.db.host}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml:6: "values\.db"/ },
  { name: 'chart: unknown image', files: template(CM('a: {{images.api.ref}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /no image named "api"/ },
  { name: 'chart: unknown helper', files: template(CM('a: {{frobnicate values.name}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: TEMPLATE },
  { name: 'chart: unknown partial', files: template(CM('a: {{include "nope" this}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /no partial named "nope"/ },
  { name: 'chart: required value missing', files: template(CM('a: {{required "set values.host" values.host}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml:6: set values\.host/ },
  { name: 'chart: output is not YAML', files: template('a: [unclosed\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml: rendered document 1 is not valid YAML at rendered line \d+/ },
  { name: 'chart: no apiVersion', files: template('kind: ConfigMap\nmetadata:\n  name: x\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml/ },
  { name: 'chart: no metadata.name', files: template('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml/ },
  { name: 'chart: a document that is a list', files: template('- a\n- b\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /cm\.yaml/ },
  { name: 'chart: duplicate objects', files: { ...BASE, 'deploy/templates/dup.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n' }, args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /duplicate ConfigMap/ },
  { name: 'chart: weight not an integer', files: template('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    slipway.dev/weight: "high"\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /slipway\.dev\/weight/ },
  { name: 'chart: unknown --env', args: ['render', '--repo', 'r.example.com/x', '--env', 'prodction'], code: 2, headline: /unknown environment "prodction"/ },
  { name: 'chart: values.yaml syntax error', files: withFiles({ 'deploy/values.yaml': 'a: [1,\n' }), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /deploy\/values\.yaml:\d+/ },
  { name: 'chart: values.yaml is a list', files: withFiles({ 'deploy/values.yaml': '- 1\n' }), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /deploy\/values\.yaml:1:1: values must be a mapping/ },
  { name: 'chart: values.yaml with __proto__', files: withFiles({ 'deploy/values.yaml': '__proto__:\n  x: 1\n' }), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /deploy\/values\.yaml: __proto__/ },
  { name: 'chart: values alias bomb', files: withFiles({ 'deploy/values.yaml': 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n' }), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /deploy\/values\.yaml/ },
  { name: 'chart: no templates', files: Object.fromEntries(Object.entries({ ...BASE, 'deploy/templates/README.md': 'x' }).filter(([k]) => k !== 'deploy/templates/cm.yaml')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /has no templates/ },
  { name: 'chart: value of the wrong shape', files: template(CM('a: {{values.name.first}}')), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: /"values\.name\.first" is not defined \(values\.name is a string/ },
  { name: 'chart: an unclosed block', files: template('{{#each values.list}}\n'), args: ['render', '--repo', 'r.example.com/x'], code: 2, headline: TEMPLATE },
  { name: 'chart: no image repository', files: config('project: app\nimages:\n  web: {}\n'), args: ['render'], code: 2, headline: /no image repository for web/ },
  // values files and --set
  { name: '--set without =', args: ['render', '--repo', 'r.example.com/x', '--set', 'name'], code: 2, headline: /--set "name": expected path=value/ },
  { name: '--set with an empty path segment', args: ['render', '--repo', 'r.example.com/x', '--set', 'a..b=1'], code: 2, headline: /--set "a\.\.b=1"/ },
  { name: '--set __proto__', args: ['render', '--repo', 'r.example.com/x', '--set', '__proto__.namespace=kube-system'], code: 2, headline: /"__proto__" is not allowed/ },
  { name: '--set constructor', args: ['render', '--repo', 'r.example.com/x', '--set', 'constructor.prototype.x=1'], code: 2, headline: /"constructor" is not allowed/ },
  { name: '--set trailing backslash', args: ['render', '--repo', 'r.example.com/x', '--set', 'name=x\\'], code: 2, headline: /trailing backslash/ },
  { name: '--set bad index', args: ['render', '--repo', 'r.example.com/x', '--set', 'list[x]=1'], code: 2, headline: /--set "list\[x\]=1"/ },
  { name: 'SLIPWAY_SET __proto__', args: ['render', '--repo', 'r.example.com/x'], env: { SLIPWAY_SET: '__proto__.x=1' }, code: 2, headline: /"__proto__" is not allowed/ },
  { name: '--values missing file', args: ['render', '--repo', 'r.example.com/x', '--values', '/nonexistent/v.yaml'], code: 2, headline: /--values \/nonexistent\/v\.yaml: cannot read the file/ },
  { name: '--values YAML error', files: withFiles({ 'v.yaml': 'a: [\n' }), args: ['render', '--repo', 'r.example.com/x', '--values', '{repo}/v.yaml'], code: 2, headline: /v\.yaml:\d+/ },
  { name: '--values not a mapping', files: withFiles({ 'v.yaml': '42\n' }), args: ['render', '--repo', 'r.example.com/x', '--values', '{repo}/v.yaml'], code: 2, headline: /v\.yaml:1:1: values must be a mapping/ },
  { name: '--values with prototype', files: withFiles({ 'v.yaml': 'a:\n  prototype: 1\n' }), args: ['render', '--repo', 'r.example.com/x', '--values', '{repo}/v.yaml'], code: 2, headline: /v\.yaml: a\.prototype/ },
];

describe('bad input: project files, charts, values', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await checkBadInput(c);
  });
});
