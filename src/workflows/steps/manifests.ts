// Values, templates and validated manifests (SPEC section 7), and pinning image refs to the
// registry's manifests: the steps render, plan and converge share.
import { CONFIG_FILE } from '../../config/load.js';
import type { Manifest } from '../../core/manifests.js';
import { applySet, mergeValues, SetSyntaxError, type Values } from '../../core/values.js';
import { EnvironmentError, InputError, inputErrorFromIssues, type Issue } from '../../errors.js';
import type { Registry, TemplateCache } from '../../ports/index.js';
import { loadChart, parseValues } from '../../render/chart.js';
import { openEnvironment } from '../../render/open-environment.js';
import { TemplateError, type TemplateEnvironment } from '../../render/template-runtime.js';
import { assembleManifests, parseRendered } from '../../render/manifests.js';
import { chartSources } from './chart-files.js';
import type { ImageDigest } from './images.js';
import { registryDigests } from './presence.js';
import { assertInputsClean, type Project } from './project.js';

export interface ValuesOptions {
  env?: string;
  /** --values files in order, already read by the caller (explicit user input, not from Git). */
  valuesFiles: { path: string; content: string }[];
  set: string[];
}

/** The chart directory (repository-relative), an input of every command that renders. */
export const chartDir = (project: Project) => project.repoPath(project.config.deploy.chart);

export async function renderChart(
  project: Project,
  chartDir: string,
  images: ImageDigest[],
  options: ValuesOptions & {
    release: string;
    namespace: string;
    debug?: (template: string, text: string) => void;
    /** Environments of earlier renders in this run, by chart content: converge renders twice. */
    environments?: Map<string, TemplateEnvironment>;
    /** Templates compiled by earlier runs (deps.templates). */
    templateCache?: TemplateCache;
  },
): Promise<{ manifests: Manifest[]; values: Values }> {
  // The chart's files: one run of the sorted listing ('' would be the whole tree: not a chart).
  const hasFiles = chartDir !== '' && (project.tree.entries.hasUnder(chartDir) || project.tree.entries.get(chartDir)?.mode === '120000');
  if (!hasFiles) {
    throw inputErrorFromIssues('chart not found', [
      { file: CONFIG_FILE, ...project.locate(['deploy', 'chart']), path: 'deploy.chart', message: `no files under "${project.config.deploy.chart}" in the commit` },
    ], `set deploy.chart in ${CONFIG_FILE} to the chart directory (holding values.yaml and templates/), and commit it`);
  }
  // Symbolic links in the chart are followed inside the commit: each file's content comes from its source.
  const { sources, linked } = await chartSources(project.tree, chartDir, (p) => project.displayPath(p));
  // What links lead to outside the chart is checked against the commit like the chart itself (SPEC section 4).
  if (linked.files.length || linked.dirs.length) await assertInputsClean(project.tree, { ...linked, images: [] });
  const blobs = await project.tree.read([...new Set(sources.values())]);
  const files = new Map([...sources].map(([p, source]) => [project.displayPath(p), blobs.get(source)!.toString('utf8')]));
  const loaded = loadChart({ dir: project.displayPath(chartDir), files }, options.env);
  if (loaded.unknownEnv) {
    throw new InputError(`unknown environment "${options.env}": ${loaded.unknownEnv.file} does not exist`, {
      details: [`environments: ${loaded.unknownEnv.known.join(', ') || '(none: the chart has no values.<env>.yaml)'}`],
      hint: `pick one of those, or create ${loaded.unknownEnv.file} (an empty file declares an environment without overrides)`,
    });
  }
  if (loaded.chart && loaded.chart.templates.length === 0) {
    throw new InputError(`the chart ${project.displayPath(chartDir)} has no templates`, {
      hint: `add templates/*.yaml under ${project.displayPath(chartDir)} (files starting with _ are partials)`,
    });
  }
  if (!loaded.chart) throw inputErrorFromIssues('invalid chart values', loaded.issues, 'a values file is a YAML mapping of keys to values; fix it and commit it');
  const values = userValues(loaded.chart.values, options);

  const context = {
    values,
    images: Object.fromEntries(images.map((i) => [i.name, { ref: i.ref, repo: i.repo, tag: i.digest, digest: i.digest }])),
    release: { name: options.release, namespace: options.namespace },
    env: options.env ?? '',
    project: project.config.project,
    git: { commit: project.tree.commit, shortCommit: project.tree.commit.slice(0, 12) },
  };
  const issues: Issue[] = [];
  const rendered: Manifest[] = [];
  const located = (err: unknown) => {
    if (!(err instanceof TemplateError)) throw err;
    issues.push({ file: err.file, line: err.line, message: err.message });
  };
  const { partials, templates } = loaded.chart;
  const chartKey = JSON.stringify([[...partials, ...templates].map((p) => [p.path, p.source]), [...loaded.chart.files]]);
  let environment = options.environments?.get(chartKey);
  environment?.reset();
  try {
    environment ??= await openEnvironment({ partials, templates }, { files: loaded.chart.files, cache: options.templateCache }); // compiles the partials
    options.environments?.set(chartKey, environment);
  } catch (err) {
    located(err);
  }
  for (const template of environment ? loaded.chart.templates : []) {
    try {
      const text = environment!.render(template, context);
      options.debug?.(template.path, text);
      const result = parseRendered(template.path, text, template.source);
      issues.push(...result.issues);
      rendered.push(...result.manifests);
    } catch (err) {
      located(err);
    }
  }
  if (issues.length) throw inputErrorFromIssues('template rendering failed', issues, 'fix the template or provide the value');
  const assembled = assembleManifests(rendered, { name: options.release, namespace: options.namespace });
  if (assembled.issues.length) throw inputErrorFromIssues('invalid manifests', assembled.issues, 'every rendered document needs apiVersion, kind and metadata.name, once per object');
  return { manifests: assembled.manifests, values };
}

function userValues(chartValues: Values[], options: ValuesOptions): Values {
  let values: Values = Object.create(null);
  for (const v of chartValues) values = mergeValues(values, v);
  const issues: Issue[] = [];
  for (const file of options.valuesFiles) {
    const parsed = parseValues(file.content, file.path);
    issues.push(...parsed.issues);
    if (parsed.values) values = mergeValues(values, parsed.values);
  }
  if (issues.length) throw inputErrorFromIssues('invalid --values file', issues, 'a values file is a YAML mapping of keys to values, like values.yaml');
  for (const expression of options.set) {
    try {
      values = applySet(values, expression);
    } catch (err) {
      if (err instanceof SetSyntaxError) throw new InputError(err.message, { hint: 'use --set path.to.key=value (escape , . = with a backslash)' });
      throw err;
    }
  }
  return values;
}

/** Each image ref pinned to the manifest the registry holds for it; a missing image is exit 3. */
export async function pinToManifests(images: ImageDigest[], registry: Registry, signal?: AbortSignal): Promise<ImageDigest[]> {
  return pinTo(images, await registryDigests(images, registry, signal));
}

/** Pins each image to the registry's manifest digest given for it (null: not in the registry, exit 3). */
export function pinTo(images: ImageDigest[], manifests: (string | null)[]): ImageDigest[] {
  const missing = images.filter((_, n) => !manifests[n]);
  if (missing.length) {
    throw new EnvironmentError(`--resolve: ${missing.length} image${missing.length === 1 ? ' is' : 's are'} not in the registry`, {
      details: missing.map((i) => `${i.name}: ${i.ref}`),
      hint: 'run slipway build first',
    });
  }
  return images.map((i, n) => ({ ...i, ref: `${i.ref}@${manifests[n]}` }));
}
