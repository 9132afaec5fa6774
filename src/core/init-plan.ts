// What `slipway init` proposes for a repository, from its Dockerfiles (pure: paths and texts in,
// a plan out). One image per Dockerfile, named after its directory (`Dockerfile`) or its suffix
// (`Dockerfile.migrate`, `migrate.Dockerfile`); the final stage as target when it is named; an
// `ARG <NAME>_IMAGE` without a default used in a FROM becomes a dependency on image <name>.
// Images that EXPOSE a port become a Deployment and a Service; images whose name says they run
// once (migrate, seed, job, init, setup, task) become a Job that runs first (weight -1); the
// rest a Deployment.
import { analyzeDockerfile } from './dockerfile/analyze.js';
import { parseDockerfile, splitFlags } from './dockerfile/parse.js';

export interface InitImage {
  name: string;
  /** Project-relative context directory ('.' for the root). */
  context: string;
  /** Dockerfile path relative to the context, when not `Dockerfile`. */
  dockerfile?: string;
  target?: string;
  port?: number;
  kind: 'service' | 'worker' | 'job';
  dependencies: { image: string; arg: string }[];
}

export interface InitPlan {
  project: string;
  images: InitImage[];
  /** Dockerfiles that could not be read as one: left out, with why. */
  skipped: { path: string; reason: string }[];
}

const RUNS_ONCE = /(^|-)(migrat\w*|seed\w*|jobs?|init|setup|tasks?)($|-)/;

export const isDockerfile = (file: string) => /^(Dockerfile(\.[A-Za-z0-9_-]+)?|[A-Za-z0-9_-]+\.Dockerfile)$/.test(file);

/** A DNS-1123 label from any name: lowercase, [a-z0-9-], at most 63 characters; accents dropped (`ünï` -> `uni`). */
export function dnsLabel(name: string, fallback = 'app'): string {
  const label = name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label || fallback;
}

export function planInit(project: string, dockerfiles: { path: string; text: string }[], overrides: Record<string, string> = {}): InitPlan {
  const skipped: InitPlan['skipped'] = [];
  const drafts: (InitImage & { path: string; fromArgs: string[] })[] = [];
  const overridden = new Map(Object.entries(overrides).map(([name, dir]) => [dir.replace(/^\.\/|\/+$/g, '') || '.', name]));
  for (const { path, text } of [...dockerfiles].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const slash = path.lastIndexOf('/');
    const context = slash < 0 ? '.' : path.slice(0, slash);
    const file = path.slice(slash + 1);
    const dirName = context === '.' ? project : context.split('/').at(-1)!;
    const suffix = file === 'Dockerfile' ? '' : file.replace(/^Dockerfile\./, '').replace(/\.Dockerfile$/, '');
    let parsed;
    try {
      parsed = parseDockerfile(text);
    } catch (err) {
      skipped.push({ path, reason: (err as Error).message });
      continue;
    }
    const froms = parsed.instructions.filter((i) => i.keyword === 'FROM');
    if (froms.length === 0) {
      skipped.push({ path, reason: 'no FROM instruction' });
      continue;
    }
    const last = splitFlags(froms.at(-1)!.rest).args;
    const target = last.length === 3 && last[1]!.toLowerCase() === 'as' ? last[2]!.toLowerCase() : undefined;
    const expose = parsed.instructions.find((i) => i.keyword === 'EXPOSE');
    const port = expose ? Number(/^(\d+)/.exec(expose.rest.trim())?.[1]) || undefined : undefined;
    // ARGs declared before the first FROM, without a default, that a FROM uses.
    const firstFrom = parsed.instructions.indexOf(froms[0]!);
    const fromArgs = parsed.instructions
      .slice(0, firstFrom)
      .filter((i) => i.keyword === 'ARG' && !i.rest.includes('='))
      .map((i) => i.rest.trim())
      .filter((arg) => froms.some((f) => f.rest.includes(`$${arg}`) || f.rest.includes(`\${${arg}}`)));
    const name = overridden.get(context) && !suffix ? overridden.get(context)! : dnsLabel(suffix || dirName, 'app');
    drafts.push({ path, name, context, ...(file !== 'Dockerfile' ? { dockerfile: file } : {}), ...(target ? { target } : {}), ...(port ? { port } : {}), kind: 'worker', dependencies: [], fromArgs });
  }
  // Names must be unique: a clash takes its directory as a prefix.
  const count = (n: string) => drafts.filter((d) => d.name === n).length;
  for (const d of drafts) if (count(d.name) > 1 && d.dockerfile) d.name = dnsLabel(`${d.context.split('/').at(-1)}-${d.name}`);
  const names = new Set(drafts.map((d) => d.name));
  // API_IMAGE names the image "api", or the one built from the plain Dockerfile of a directory "api".
  const imageFor = (stem: string) =>
    drafts.find((d) => d.name === stem)?.name ?? drafts.find((d) => !d.dockerfile && d.context.split('/').at(-1) === stem)?.name;
  const images = drafts.map(({ path, fromArgs, ...d }): InitImage => {
    const dependencies = fromArgs
      .filter((arg) => /_IMAGE$/i.test(arg))
      .map((arg) => ({ arg, image: imageFor(dnsLabel(arg.replace(/_IMAGE$/i, ''))) ?? '' }))
      .filter((dep) => dep.image !== '' && dep.image !== d.name);
    const kind = d.port ? 'service' : RUNS_ONCE.test(d.name) ? 'job' : 'worker';
    return { ...d, kind, dependencies };
  });
  // Whether each image digests as proposed (a FROM left empty would be exit 2 later): left out if not.
  const usable: InitImage[] = [];
  for (const image of images) {
    const file = dockerfiles.find((f) => f.path === (image.context === '.' ? '' : `${image.context}/`) + (image.dockerfile ?? 'Dockerfile'))!;
    try {
      analyzeDockerfile({
        dockerfile: parseDockerfile(file.text),
        target: image.target,
        platform: 'linux/amd64',
        buildArgs: {},
        dependencyArgs: Object.fromEntries(image.dependencies.map((d) => [d.arg, d.image])),
        imageNames: names,
      });
      usable.push(image);
    } catch (err) {
      skipped.push({ path: file.path, reason: `${(err as Error).message}; add it under images: in slipway.yaml with what it needs` });
    }
  }
  return { project: dnsLabel(project), images: usable, skipped };
}
