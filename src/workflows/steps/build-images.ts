// Build and push what the registry lacks, along the image dependency graph, independent images
// in parallel (the step `build` and `converge` share).
import { EnvironmentError, InputError, InterruptedError, SlipwayError, WorkFailedError } from '../../errors.js';
import type { ImageEngine, LayerStore, Registry, Reporter } from '../../ports/index.js';
import { buildRequest } from './build-context.js';
import type { ImageDigest } from './images.js';
import type { Project } from './project.js';
import type { ImageReference } from '../../core/image-ref.js';
import { recordTag, type BuildRecord } from '../../core/image/build-record.js';
import { writeBuildRecord } from './build-record.js';
import { onePullAtATime } from './build-gate.js';
import { baseLayers } from './image-base.js';
import { prefetchPresence } from './presence.js';
import { reproduciblePacker, skipIfPresent, type PublishJob } from './publish.js';
import { runGraph } from './schedule.js';

export interface BuiltImage {
  name: string;
  ref: string;
  digest: string;
  built: boolean;
  present: boolean;
  manifest: string | null;
  seconds: number;
  /** The commit this run built it from (only when this run built it). */
  commit?: string;
}

export interface BuildImagesDeps {
  reporter: Reporter;
  registry: Registry;
  engine: ImageEngine;
  /** Base layers compressed by earlier runs (a cache); this run's own when absent. */
  layers?: LayerStore;
  now?: () => number;
}

const LOG_TAIL = 30;

/** `wanted` must be closed under dependencies and have refs. */
export async function buildImages(
  project: Project,
  wanted: ImageDigest[],
  options: { parallel: number; signal?: AbortSignal },
  deps: BuildImagesDeps,
): Promise<BuiltImage[]> {
  const now = deps.now ?? (() => performance.now());
  const refs = Object.fromEntries(wanted.map((i) => [i.name, i.ref!]));
  const registry = prefetchPresence(deps.registry, wanted.map((i) => i.reference!), options.signal);
  const engine = onePullAtATime(deps.engine, new Map(wanted.map((i) => [i.reference!, i.deps])));
  const publisher = skipIfPresent(engine, registry, reproduciblePacker(deps.engine, registry, deps.layers));
  const logs = new Map<string, string[]>();
  const byName = new Map(wanted.map((i) => [i.name, i]));
  // Build records are written beside the dependants' builds (nothing reads them during a build);
  // the step ends once every one is written.
  const records: Promise<void>[] = [];

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
        const job = publishJob(project, image, refs, deps);
        const result = await publisher.publish(job, log, options.signal);
        if (result.built && result.manifest) records.push(recordPush(deps.registry, image.reference!, { commit: project.tree.commit, image: result.manifest, pushed: new Date().toISOString() }, log, options.signal));
        const seconds = Math.round(now() - started) / 1000;
        deps.reporter.emit({ kind: 'step-done', id: name, ok: true, message: `${name}: ${result.built ? `built and pushed in ${seconds}s` : 'present in the registry'}` });
        return { name, ref: image.ref!, digest: image.digest, built: result.built, present: result.present, manifest: result.manifest, seconds, ...(result.built ? { commit: project.tree.commit } : {}) };
      } catch (err) {
        deps.reporter.emit({ kind: 'step-done', id: name, ok: false, message: `${name}: ${(err as Error).message}` });
        throw err;
      }
    },
  );

  const recorded = await Promise.allSettled(records);
  if (options.signal?.aborted) throw new InterruptedError('interrupted: build stopped', { hint: 'run it again: what was not pushed will be built' });
  const failures = [...outcomes].filter(([, o]) => !o.ok && 'error' in o) as [string, { ok: false; error: unknown }][];
  if (failures.length) throw failureError(failures, logs);
  const unrecorded = recorded.find((r) => r.status === 'rejected');
  if (unrecorded) throw (unrecorded as PromiseRejectedResult).reason;
  return wanted.map((i) => (outcomes.get(i.name) as { ok: true; value: BuiltImage }).value);
}

/** What publishing one image takes; `verify` rebuilds from the same job. */
export function publishJob(project: Project, image: ImageDigest, refs: Readonly<Record<string, string>>, deps: { engine: ImageEngine; registry: Registry }, noCache = false): PublishJob {
  // Only what the digest inputs decide: the commit that built it goes to the output and the release records.
  const labels = { 'dev.slipway.digest': image.digest, 'dev.slipway.project': project.config.project };
  return {
    ref: image.reference!,
    request: () => buildRequest(image, refs, project.tree, labels, noCache),
    base: (signal) => baseLayers(image.build.base, refs, image.platform, deps, signal),
  };
}

/** The push time and commit go beside the image; without them cleanup only keeps the tag longer. */
async function recordPush(registry: Registry, ref: ImageReference, record: BuildRecord, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  try {
    await writeBuildRecord(registry, ref, record, signal);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    log(`warning: could not write the build record ${recordTag(ref.tag!)}: ${err.message}`);
  }
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
