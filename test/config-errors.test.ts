// Invalid slipway.yaml: each mistake is exit 2 with a located message and never a stack trace.
import { describe, expect, it } from 'vitest';
import { slipway } from './helpers/cli.js';
import { BASE_PROJECT } from './helpers/digest-fixture.js';
import { gitRepo } from './helpers/git-fixture.js';

const cases: [string, string, string][] = [
  ['unknown top-level key', 'project: app\nimagez: {}\n', 'slipway.yaml:2:1: imagez: unknown key "imagez"'],
  ['unknown image key', 'project: app\nimages:\n  web:\n    contxt: .\n', 'slipway.yaml:4:5: images.web.contxt: unknown key "contxt"'],
  ['wrong type for images', 'project: app\nimages: [web]\n', 'slipway.yaml:2:9: images: must be a mapping of image names, not array'],
  ['wrong type for args', 'project: app\nimages:\n  web:\n    args: [A]\n', 'slipway.yaml:4:11: images.web.args: must be a mapping, not array'],
  ['bad image name', 'project: app\nimages:\n  Web_1: {}\n', "slipway.yaml:3:3: images.Web_1: image name must be lowercase letters, digits and '-'"],
  ['bad project name', 'project: My App\n', "slipway.yaml:1:10: project: project must be lowercase"],
  ['missing project', 'images: {}\n', 'slipway.yaml:1:1: project: required key "project" is missing'],
  ['missing dockerfile', 'project: app\nimages:\n  web:\n    dockerfile: Dockerfile.nope\n', 'slipway.yaml:4:17: images.web.dockerfile: Dockerfile "Dockerfile.nope" is not in the commit'],
  ['missing context', 'project: app\nimages:\n  web:\n    context: services/web\n', 'slipway.yaml:4:14: images.web.context: context directory "services/web" is not in the commit'],
  ['dependency on an unknown image', 'project: app\nimages:\n  web:\n    dependencies:\n      - image: api\n        arg: API\n', 'slipway.yaml:5:16: images.web.dependencies.0.image: unknown image "api"'],
  ['bad platform', 'project: app\nimages:\n  web:\n    platform: amd64\n', 'slipway.yaml:4:15: images.web.platform: must be os/arch[/variant]'],
  ['bad build arg name', 'project: app\nimages:\n  web:\n    args: { "1X": a }\n', 'slipway.yaml:4:13: images.web.args.1X: build arg names are'],
  ['bad repo', 'project: app\nrepo: Registry.Example.com/App\n', 'slipway.yaml:2:7: repo: must be REGISTRY[/PATH] in lowercase'],
  ['duplicate key', 'project: app\nproject: app2\n', 'slipway.yaml:2:1: Map keys must be unique'],
  ['YAML syntax', 'project: app\nimages:\n  web: {\n', 'slipway.yaml:4:1: '],
  ['cycle through Dockerfiles', 'project: app\nimages:\n  a:\n    dockerfile: A.Dockerfile\n  b:\n    dockerfile: B.Dockerfile\n', 'slipway.yaml:3:3: images.a: image dependency cycle: a -> b -> a'],
  ['cycle through dependencies', 'project: app\nimages:\n  a:\n    dependencies: [{ image: b, arg: B }]\n  b:\n    dependencies: [{ image: a, arg: A }]\n', 'image dependency cycle: a -> b -> a'],
];

describe('invalid slipway.yaml', () => {
  it.each(cases)('%s', (_name, yaml, message) => {
    const dir = gitRepo({
      ...BASE_PROJECT,
      'A.Dockerfile': 'FROM b\n',
      'B.Dockerfile': 'FROM a\n',
      'slipway.yaml': yaml,
    });
    const r = slipway(['digest', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('internal error');
  });
});
