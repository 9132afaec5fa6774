// slipway.yaml -> {config, issues}: YAML syntax, then the zod schema, then cross-field rules;
// every problem located as slipway.yaml:LINE:COL with a dotted path, all reported at once.
import { posix } from 'node:path';
import type { z } from 'zod';
import type { Issue } from '../errors.js';
import { parseLocatedYaml, type LocatedYaml } from './located-yaml.js';
import { configSchema, type SlipwayConfig } from './schema.js';

export const CONFIG_FILE = 'slipway.yaml';

export interface ConfigLoadResult {
  config?: SlipwayConfig;
  issues: Issue[];
  /** For later checks (e.g. cycles found in Dockerfiles) to point into slipway.yaml. */
  locate: LocatedYaml['locate'];
}

/** What the loader may ask about the project's files (as stored in the commit). */
export interface ProjectFiles {
  isFile(projectPath: string): boolean;
  isDir(projectPath: string): boolean;
}

export function loadConfig(text: string, files: ProjectFiles, file = CONFIG_FILE): ConfigLoadResult {
  const yaml = parseLocatedYaml(text, file);
  if (yaml.errors.length) return { issues: yaml.errors, locate: yaml.locate };
  const issue = (path: PropertyKey[], message: string, key?: string): Issue => ({
    file,
    ...yaml.locate(path, key),
    path: [...path, ...(key === undefined ? [] : [key])].map(String).join('.') || undefined,
    message,
  });
  if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    return { issues: [issue([], 'must be a mapping with at least "project"')], locate: yaml.locate };
  }
  const parsed = configSchema.safeParse(yaml.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((i) => zodIssues(i, issue, yaml.value));
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { issues, locate: yaml.locate };
  }
  const config = parsed.data;
  for (const image of Object.values(config.images)) {
    image.args = Object.fromEntries(Object.entries(image.args).map(([k, v]) => [k, String(v)]));
  }
  const issues = crossFieldIssues(config, files, issue);
  return { config: issues.length ? undefined : config, issues, locate: yaml.locate };
}

function zodIssues(i: z.core.$ZodIssue, issue: (path: PropertyKey[], message: string, key?: string) => Issue, root: unknown): Issue[] {
  const path = i.path as PropertyKey[];
  if (i.code === 'unrecognized_keys') {
    return i.keys.map((k) => issue(path, `unknown key "${k}"`, k));
  }
  if (i.code === 'invalid_key') {
    // A bad map key (image name, build arg name): point at the key, say what the key must be.
    return [issue(path.slice(0, -1), i.issues[0]?.message ?? i.message, String(path.at(-1)))];
  }
  if (i.code === 'invalid_type' && valueAt(root, path) === undefined) {
    const parent = path.slice(0, -1);
    return [{ ...issue(parent, `required key "${String(path.at(-1))}" is missing`), path: path.join('.') }];
  }
  return [issue(path, i.message)];
}

function crossFieldIssues(
  config: SlipwayConfig,
  files: ProjectFiles,
  issue: (path: PropertyKey[], message: string, key?: string) => Issue,
): Issue[] {
  const issues: Issue[] = [];
  for (const [name, image] of Object.entries(config.images)) {
    const context = posix.normalize(image.context);
    if (!files.isDir(context)) {
      issues.push(issue(['images', name, 'context'], `context directory "${image.context}" is not in the commit`));
    } else if (!files.isFile(posix.join(context, image.dockerfile))) {
      issues.push(
        issue(['images', name, 'dockerfile'], `Dockerfile "${posix.join(context, image.dockerfile)}" is not in the commit`),
      );
    }
    const seenArgs = new Set<string>();
    image.dependencies.forEach((dep, index) => {
      const at = ['images', name, 'dependencies', index];
      if (!(dep.image in config.images)) {
        issues.push(issue([...at, 'image'], `unknown image "${dep.image}" (images: ${Object.keys(config.images).join(', ') || 'none'})`));
      } else if (dep.image === name) {
        issues.push(issue([...at, 'image'], `image "${name}" cannot depend on itself`));
      }
      if (seenArgs.has(dep.arg)) issues.push(issue([...at, 'arg'], `build arg "${dep.arg}" receives two images`));
      seenArgs.add(dep.arg);
      if (dep.arg in image.args) issues.push(issue([...at, 'arg'], `build arg "${dep.arg}" is also set in args`));
    });
  }
  return issues;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}
