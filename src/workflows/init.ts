// `slipway init`: finds the Dockerfiles of a Git work tree (the files on disk: a new project is
// often not committed yet) and writes slipway.yaml, a deploy/ chart from the package's templates
// and a .dockerignore; never overwrites without --force; --dry-run writes nothing.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDockerfile, planInit, type InitImage, type InitPlan } from '../core/init-plan.js';
import { InputError } from '../errors.js';

export interface InitOptions {
  dir: string;
  force: boolean;
  dryRun: boolean;
  /** --image NAME=DIR: the image built from DIR's Dockerfile is called NAME. */
  images: Record<string, string>;
}

export interface InitResult {
  plan: InitPlan;
  files: { path: string; content: string; replaced: boolean }[];
}

const TEMPLATES = fileURLToPath(new URL('../../templates/init/', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../schema/slipway.schema.json', import.meta.url));
const SKIP_DIRS = new Set(['.git', 'node_modules', 'vendor', '.stack', 'dist', 'target', '.venv', '__pycache__']);

export async function initWorkflow(options: InitOptions): Promise<InitResult> {
  const root = resolve(options.dir);
  if (!existsSync(root)) throw new InputError(`--dir ${options.dir}: no such directory`, { hint: 'run init in the directory of your app, or pass --dir' });
  const found = await findDockerfiles(root);
  if (found.length === 0) {
    throw new InputError(`no Dockerfile under ${options.dir}`, { hint: 'slipway builds images from Dockerfiles: add one (or pass --dir to the directory that has them)' });
  }
  const plan = planInit(basename(root), await Promise.all(found.map(async (path) => ({ path, text: await readFile(join(root, path), 'utf8') }))), options.images);
  const unknown = Object.values(options.images).filter((dir) => !plan.images.some((i) => i.context === (dir.replace(/^\.\/|\/+$/g, '') || '.')));
  if (unknown.length) throw new InputError(`--image: no Dockerfile in ${unknown.join(', ')}`, { hint: `Dockerfiles found: ${found.join(', ')}` });
  if (plan.images.length === 0) throw new InputError('no usable Dockerfile', { details: plan.skipped.map((s) => `${s.path}: ${s.reason}`), hint: 'fix the Dockerfiles above' });

  const files = await render(plan, root);
  const existing = files.filter((f) => existsSync(join(root, f.path)));
  if (existing.length && !options.force && !options.dryRun) {
    throw new InputError(`init would overwrite ${existing.length} file${existing.length === 1 ? '' : 's'}`, {
      details: existing.map((f) => f.path),
      hint: 'pass --force to replace them, or --dry-run to see what init would write',
    });
  }
  const result = files.map((f) => ({ ...f, replaced: existing.includes(f) }));
  if (!options.dryRun) {
    for (const f of result) {
      await mkdir(dirname(join(root, f.path)), { recursive: true });
      await writeFile(join(root, f.path), f.content);
    }
  }
  return { plan, files: result };
}

async function findDockerfiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...(await findDockerfiles(root, path)));
    else if (entry.isFile() && isDockerfile(entry.name)) out.push(path);
  }
  return out.sort();
}

async function render(plan: InitPlan, root: string): Promise<{ path: string; content: string }[]> {
  const t = async (name: string) => readFile(join(TEMPLATES, name), 'utf8');
  const fill = (text: string, image: InitImage) =>
    text.replaceAll('__NAME__', image.name).replaceAll('__KEY__', valuesKey(image)).replaceAll('__PORT__', String(image.port ?? 8080));
  const files: { path: string; content: string }[] = [];
  const imagesYaml = plan.images
    .map((i) =>
      [
        `  ${i.name}:`,
        ...(i.context !== '.' ? [`    context: ${i.context}`] : []),
        ...(i.dockerfile ? [`    dockerfile: ${i.dockerfile}`] : []),
        ...(i.target ? [`    target: ${i.target}`] : []),
        ...(i.dependencies.length ? ['    dependencies:', ...i.dependencies.flatMap((d) => [`      - image: ${d.image}`, `        arg: ${d.arg}`])] : []),
        ...(i.context === '.' && !i.dockerfile && !i.target && !i.dependencies.length ? ['    {}'] : []),
      ]
        .join('\n')
        .replace(':\n    {}', ': {}'),
    )
    .join('\n');
  const schema = relative(root, SCHEMA).split('\\').join('/');
  files.push({ path: 'slipway.yaml', content: (await t('slipway.yaml')).replace('__SCHEMA__', schema).replaceAll('__PROJECT__', plan.project).replace('__IMAGES__', imagesYaml) });
  const deployed = plan.images;
  const valuesFor = (replicas: number) =>
    deployed
      .filter((i) => i.kind !== 'job')
      .map((i) => `${valuesKey(i)}:\n  replicas: ${replicas}\n`)
      .join('');
  files.push({ path: 'deploy/values.yaml', content: (await t('values.yaml')).replace('__VALUES__', valuesFor(1)) });
  files.push({ path: 'deploy/values.production.yaml', content: (await t('values.production.yaml')).replace('__VALUES__', valuesFor(2)) });
  files.push({ path: 'deploy/templates/_labels.yaml', content: await t('_labels.yaml') });
  files.push({ path: 'deploy/templates/configmap.yaml', content: await t('configmap.yaml') });
  const [deployment, ports, service, job] = await Promise.all(['deployment.yaml', 'ports.yaml', 'service.yaml', 'job.yaml'].map(t));
  for (const image of deployed) {
    if (image.kind === 'job') {
      files.push({ path: `deploy/templates/${image.name}.yaml`, content: fill(job!, image) });
      continue;
    }
    let text = fill(deployment!, image).replace('__PORTS__\n', image.port ? fill(ports!, image) : '');
    if (image.kind === 'service') text += `---\n${fill(service!, image)}`;
    files.push({ path: `deploy/templates/${image.name}.yaml`, content: text });
  }
  // Contexts without a .dockerignore get one that keeps .git out of the build context.
  for (const context of [...new Set(plan.images.map((i) => i.context))]) {
    const path = context === '.' ? '.dockerignore' : `${context}/.dockerignore`;
    if (!existsSync(join(root, path))) files.push({ path, content: '.git\n' });
  }
  return files;
}

/** The key of an image under values: `values.<key>.replicas` (Handlebars paths avoid `-`). */
const valuesKey = (image: InitImage) => image.name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
