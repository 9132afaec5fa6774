// From the loaded project to every image's digest: read Dockerfiles and ignore files from the
// snapshot, analyse them, order images by their dependencies, select context files, hash.
import { CONFIG_FILE } from '../../config/load.js';
import type { ImageConfig } from '../../config/types.js';
import { DockerIgnore } from '../../core/context/dockerignore.js';
import { runSeesContextDirectories } from '../../core/context/directory-times.js';
import { selectContextFiles, type ContextFile } from '../../core/context/select.js';
import { analyzeDockerfile, type DockerfileAnalysis, type ImageBase } from '../../core/dockerfile/analyze.js';
import { DockerfileSyntaxError, parseDockerfile } from '../../core/dockerfile/parse.js';
import { computeDigest, type DigestInputs } from '../../core/digest.js';
import { CycleError, topologicalOrder } from '../../core/image-graph.js';
import type { ImageInputs } from '../../core/inputs.js';
import { parseReference, withTag, type ImageReference } from '../../core/image-ref.js';
import { imageRepo } from '../../core/naming.js';
import { InputError, inputErrorFromIssues, type Issue } from '../../errors.js';
import type { Reporter } from '../../ports/index.js';
import { assertInputsClean, type Project } from './project.js';

export interface ImageDigest {
  name: string;
  digest: string;
  /** Image repository, when one is configured (slipway.yaml repo, image repo, or --repo). */
  repo?: string;
  ref?: string;
  /** `ref` as a typed value: parsed once, here. */
  reference?: ImageReference;
  platform: string;
  /** Project-relative paths, for people. */
  context: string;
  dockerfile: string;
  inputs: DigestInputs;
  /** Names of the slipway images this one needs. */
  deps: string[];
  warnings: string[];
  /** What a build needs beyond the digest inputs. */
  build: {
    contextPrefix: string;
    dockerfilePath: string;
    target?: string;
    args: Record<string, string>;
    /** Build arg -> slipway image whose full reference it receives. */
    dependencyArgs: Record<string, string>;
    stageNames: string[];
    /** What the target's first layers come from. */
    base: ImageBase;
    /** A RUN step may read the context's directory times: the context goes as slipway's tar. */
    contextTimesSeen?: boolean;
  };
}

export interface ImageOptions {
  repo?: string;
  strict: boolean;
  /** --platform: overrides every image's platform (a digest input). */
  platform?: string;
  /** The images the command works on (default: all): warnings and --strict cover them and what they need. */
  selected?: string[];
}

/** Inputs of this run besides slipway.yaml and the images (e.g. the chart), for the giterminism check. */
export interface OtherInputs {
  files: string[];
  dirs: string[];
}

interface Analysed {
  name: string;
  image: ImageConfig;
  contextPrefix: string;
  dockerfilePath: string;
  analysis: DockerfileAnalysis;
  ignore: DockerIgnore;
  inputs: ImageInputs;
  instructions: readonly { keyword: string }[];
}

/**
 * Digests of every image of the project, in dependency order, plus what they read. Every input
 * (slipway.yaml included) is checked against the commit at the end; an uncommitted slipway.yaml
 * is reported before any other error, as loadProject would have.
 */
export async function digestImages(
  project: Project,
  options: ImageOptions,
  reporter: Reporter,
  other: OtherInputs = { files: [], dirs: [] },
): Promise<ImageDigest[]> {
  try {
    return await digestAll(project, options, reporter, other);
  } catch (err) {
    await project.configClean;
    throw err;
  }
}

async function digestAll(project: Project, options: ImageOptions, reporter: Reporter, other: OtherInputs): Promise<ImageDigest[]> {
  const { config, tree } = project;
  const names = new Set(Object.keys(config.images));
  const plan = Object.entries(config.images).map(([name, image]) => {
    const contextPrefix = project.repoPath(image.context);
    const dockerfilePath = project.repoPath(`${image.context}/${image.dockerfile}`);
    return { name, image, contextPrefix, dockerfilePath, ignorePaths: [`${dockerfilePath}.dockerignore`, project.repoPath(`${image.context}/.dockerignore`)] };
  });
  const blobs = await tree.read(plan.flatMap((p) => [p.dockerfilePath, ...p.ignorePaths]));

  const issues: Issue[] = [];
  const analysed: Analysed[] = [];
  for (const p of plan) {
    const file = project.displayPath(p.dockerfilePath);
    try {
      const dockerfile = parseDockerfile(blobs.get(p.dockerfilePath)!.toString('utf8'));
      const analysis = analyzeDockerfile({
        dockerfile,
        target: p.image.target,
        platform: options.platform ?? p.image.platform,
        buildArgs: p.image.args as Record<string, string>,
        dependencyArgs: Object.fromEntries(p.image.dependencies.map((d) => [d.arg, d.image])),
        imageNames: names,
      });
      // BuildKit: <Dockerfile>.dockerignore replaces the context's .dockerignore entirely.
      const ignoreBlob = blobs.get(p.ignorePaths[0]!) ?? blobs.get(p.ignorePaths[1]!);
      const ignore = ignoreBlob ? DockerIgnore.parse(ignoreBlob.toString('utf8')) : new DockerIgnore([]);
      analysed.push({
        ...p,
        analysis,
        ignore,
        instructions: dockerfile.instructions,
        inputs: { contextPrefix: p.contextPrefix, files: [p.dockerfilePath, ...p.ignorePaths], ignore, sources: analysis.sources },
      });
    } catch (err) {
      if (!(err instanceof DockerfileSyntaxError)) throw err;
      issues.push({ file, line: err.line, message: err.message });
    }
  }
  if (issues.length) throw inputErrorFromIssues('invalid Dockerfile', issues, 'fix the Dockerfile and commit it');

  const byName = new Map(analysed.map((a) => [a.name, a]));
  const graph = new Map(analysed.map((a) => [a.name, imageDependencies(a)]));
  let order: string[];
  try {
    order = topologicalOrder(graph);
  } catch (err) {
    if (!(err instanceof CycleError)) throw err;
    const first = err.cycle[0]!;
    throw inputErrorFromIssues('image dependency cycle', [
      { file: CONFIG_FILE, ...project.locate(['images'], first), path: `images.${first}`, message: err.message },
    ], 'an image cannot need itself: remove one FROM/COPY --from or dependency along the cycle');
  }

  const contextFiles = new Map<string, ContextFile[]>();
  for (const { contextPrefix } of analysed) if (!contextFiles.has(contextPrefix)) contextFiles.set(contextPrefix, tree.entries.under(contextPrefix));
  const digests = new Map<string, string>();
  const images: ImageDigest[] = [];
  const warnings: { where: string; message: string; image: string }[] = [];
  for (const name of order) {
    const a = byName.get(name)!;
    const file = project.displayPath(a.dockerfilePath);
    const selection = selectContextFiles(contextFiles.get(a.contextPrefix)!, a.ignore, a.analysis.sources);
    for (const missing of selection.missing) {
      issues.push({
        file,
        line: missing.line,
        message: `${missing.instruction} source "${missing.pattern}" is not in the build context ${a.image.context} (not committed, or excluded by .dockerignore)`,
      });
    }
    const deps = imageDependencies(a);
    const inputs: DigestInputs = {
      platform: options.platform ?? a.image.platform,
      stages: a.analysis.stages,
      args: a.analysis.args,
      files: selection.files,
      deps: Object.fromEntries(deps.map((d) => [d, digests.get(d)!])),
      ...(a.analysis.syntax !== undefined ? { syntax: a.analysis.syntax } : {}),
    };
    const digest = computeDigest(inputs);
    digests.set(name, digest);
    const repo = imageRepo({ imageRepo: config.images[name]?.repo, repo: config.repo }, name, options.repo);
    const located = a.analysis.warnings.map((w) => ({ where: `${file}:${w.line}`, message: w.message }));
    warnings.push(...located.map((w) => ({ ...w, image: name })));
    const imageWarnings = located.map((w) => `${w.where}: ${w.message}`);
    images.push({
      name,
      digest,
      repo,
      ref: repo ? `${repo}:${digest}` : undefined,
      reference: repo ? withTag(parseReference(repo), digest) : undefined,
      platform: inputs.platform,
      context: a.image.context,
      dockerfile: file,
      inputs,
      deps,
      warnings: imageWarnings,
      build: {
        contextPrefix: a.contextPrefix,
        dockerfilePath: a.dockerfilePath,
        target: a.image.target,
        args: a.image.args as Record<string, string>,
        dependencyArgs: Object.fromEntries(a.image.dependencies.map((d) => [d.arg, d.image])),
        stageNames: a.analysis.stages.map((s) => s.name).filter((n): n is string => n !== null),
        base: a.analysis.base,
        contextTimesSeen: runSeesContextDirectories(a.instructions, a.analysis.sources, selection.files),
      },
    });
  }
  // Dirty inputs first: an uncommitted file explains a "missing" COPY source better than the source does.
  await assertInputsClean(tree, {
    files: [project.repoPath(CONFIG_FILE), ...other.files],
    dirs: other.dirs,
    images: analysed.map((a) => a.inputs),
  });
  if (issues.length) throw inputErrorFromIssues('invalid build context', issues, 'commit the missing files or fix the COPY/ADD source');
  // Warnings (and --strict) concern the selected images and the images they need, not the others.
  const scope = new Set<string>();
  const digested = new Map(images.map((i) => [i.name, i]));
  const visit = (name: string) => {
    if (scope.has(name) || !digested.has(name)) return;
    scope.add(name);
    digested.get(name)!.deps.forEach(visit);
  };
  (options.selected?.length ? options.selected : images.map((i) => i.name)).forEach(visit);
  const relevant = warnings.filter((w) => scope.has(w.image)).map(({ image: _image, ...w }) => w);
  for (const w of relevant) reporter.emit({ kind: 'warning', ...w });
  for (const i of images) reporter.emit({ kind: 'image-digest', name: i.name, digest: i.digest, ref: i.ref ?? null, files: i.inputs.files.length });
  if (options.strict && relevant.length) {
    throw new InputError(`--strict: ${relevant.length} input${relevant.length === 1 ? ' is' : 's are'} outside Git's control`, {
      details: relevant.map((w) => `${w.where}: ${w.message}`),
      hint: 'pin base images with @sha256:, download with RUN curl + checksum, or drop --strict',
    });
  }
  return images;
}

function imageDependencies(a: Analysed): string[] {
  return [...new Set([...a.analysis.imageDeps, ...a.image.dependencies.map((d) => d.image)])].sort();
}

/** Every image needs a repository before anything is built, pushed or rendered with it. */
export function requireRepositories(images: ImageDigest[]): void {
  const missing = images.filter((i) => !i.ref);
  if (missing.length) {
    throw new InputError(`no image repository for ${missing.map((i) => i.name).join(', ')}`, {
      hint: `set "repo" in ${CONFIG_FILE}, pass --repo REGISTRY/PATH, or set SLIPWAY_REPO`,
    });
  }
}
