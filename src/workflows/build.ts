// `slipway build`: digests, then build and push only what the registry lacks, along the image
// dependency graph, independent images in parallel.
import { EnvironmentError, InputError, InterruptedError, SlipwayError, WorkFailedError } from '../errors.js';
import type { ImageEngine, Registry, Reporter, SourceRepo } from '../ports/index.js';
import { buildRequest } from './steps/build-context.js';
import { digestImages, type ImageDigest, type ImageOptions } from './steps/images.js';
import { loadProject, type ProjectOptions } from './steps/project.js';
import { skipIfPresent } from './steps/publish.js';
import { runGraph } from './steps/schedule.js';

export interface BuildOptions extends ProjectOptions, ImageOptions {
  images: string[];
  parallel: number;
  signal?: AbortSignal;
}

export interface BuiltImage {
  name: string;
  ref: string;
  digest: string;
  built: boolean;
  present: boolean;
  manifest: string | null;
  seconds: number;
}

export interface BuildDeps {
  source: SourceRepo;
  reporter: Reporter;
  registry: Registry;
  engine: ImageEngine;
  now?: () => number;
}

const LOG_TAIL = 30;

export async function buildWorkflow(options: BuildOptions, deps: BuildDeps): Promise<{ commit: string; images: BuiltImage[] }> {
  const now = deps.now ?? (() => performance.now());
  const project = await loadProject(options, deps);
  const all = await digestImages(project, options, deps.reporter);
  const unknown = options.images.filter((n) => !all.some((i) => i.name === n));
  if (unknown.length) throw new InputError(`unknown image${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { hint: `images: ${all.map((i) => i.name).join(', ')}` });
  const wanted = selectWithDependencies(all, options.images);
  const noRepo = wanted.filter((i) => !i.ref);
  if (noRepo.length) {
    throw new InputError(`no image repository for ${noRepo.map((i) => i.name).join(', ')}`, { hint: 'set "repo" in slipway.yaml, pass --repo REGISTRY/PATH, or set SLIPWAY_REPO' });
  }
  const refs = Object.fromEntries(wanted.map((i) => [i.name, i.ref!]));
  const publisher = skipIfPresent(deps.engine, deps.registry);
  const logs = new Map<string, string[]>();
  const byName = new Map(wanted.map((i) => [i.name, i]));

  const outcomes = await runGraph(
    wanted.map((i) => i.name),
    new Map(wanted.map((i) => [i.name, i.deps])),
    options.parallel,
    async (name): Promise<BuiltImage> => {
      const image = byName.get(name)!;
      const started = now();
      const lines: string[] = [];
      logs.set(name, lines);
      const log = (line: string) => {
        lines.push(line);
        if (lines.length > 500) lines.splice(0, lines.length - LOG_TAIL);
        deps.reporter.emit({ kind: 'info', message: `${name} | ${line}` });
      };
      deps.reporter.emit({ kind: 'step-start', id: name, message: `${name}: checking ${image.ref}` });
      try {
        const labels = {
          'org.opencontainers.image.revision': project.tree.commit,
          'dev.slipway.digest': image.digest,
          'dev.slipway.project': project.config.project,
        };
        const result = await publisher.publish({ ref: image.ref!, request: () => buildRequest(image, refs, project.tree, labels) }, log, options.signal);
        const seconds = Math.round(now() - started) / 1000;
        deps.reporter.emit({ kind: 'step-done', id: name, ok: true, message: `${name}: ${result.built ? `built and pushed in ${seconds}s` : 'present in the registry'}` });
        return { name, ref: image.ref!, digest: image.digest, built: result.built, present: result.present, manifest: result.manifest, seconds };
      } catch (err) {
        deps.reporter.emit({ kind: 'step-done', id: name, ok: false, message: `${name}: ${(err as Error).message}` });
        throw err;
      }
    },
  );

  if (options.signal?.aborted) throw new InterruptedError('interrupted: build stopped', { hint: 'run it again: what was not pushed will be built' });
  const failures = [...outcomes].filter(([, o]) => !o.ok && 'error' in o) as [string, { ok: false; error: unknown }][];
  if (failures.length) throw failureError(failures, logs);
  return {
    commit: project.tree.commit,
    images: wanted.map((i) => (outcomes.get(i.name) as { ok: true; value: BuiltImage }).value),
  };
}

function selectWithDependencies(all: ImageDigest[], names: string[]): ImageDigest[] {
  if (names.length === 0) return all;
  const byName = new Map(all.map((i) => [i.name, i]));
  const wanted = new Set<string>();
  const add = (n: string) => {
    if (wanted.has(n)) return;
    wanted.add(n);
    byName.get(n)!.deps.forEach(add);
  };
  names.forEach(add);
  return all.filter((i) => wanted.has(i.name));
}

function failureError(failures: [string, { error: unknown }][], logs: Map<string, string[]>): SlipwayError {
  const details = failures.flatMap(([name, { error }]) => {
    const tail = (logs.get(name) ?? []).slice(-LOG_TAIL);
    return [`${name}: ${(error as Error).message}`, ...tail.map((l) => `    ${l}`)];
  });
  const errors = failures.map(([, f]) => f.error);
  const interrupted = errors.find((e) => e instanceof InterruptedError);
  if (interrupted) return interrupted as SlipwayError;
  const environment = errors.find((e) => e instanceof EnvironmentError) as EnvironmentError | undefined;
  if (environment) return new EnvironmentError(environment.message, { details, hint: environment.hint, cause: environment });
  const input = errors.find((e) => e instanceof InputError) as InputError | undefined;
  if (input) return input;
  const names = failures.map(([n]) => n).join(', ');
  return new WorkFailedError(`build failed: ${names}`, { details, hint: 'fix the failing step; images already pushed stay and will not be rebuilt' });
}
