// slipway.yaml -> {config, issues}: YAML syntax, then the schema (validate.ts), then cross-field
// rules; every problem located as slipway.yaml:LINE:COL with a dotted path, all reported at once.
import { posix } from 'node:path';
import type { Issue } from '../errors.js';
import { parseLocatedYaml, type LocatedYaml } from './located-yaml.js';
import type { SlipwayConfig } from './types.js';
import { validateConfig, type ValidationIssue } from './validate.js';

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
  const validated = validateConfig(yaml.value);
  if (!validated.config) {
    const issues = validated.issues.map((i) => located(i, issue));
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { issues, locate: yaml.locate };
  }
  const config = validated.config;
  for (const image of Object.values(config.images)) {
    image.args = Object.fromEntries(Object.entries(image.args).map(([k, v]) => [k, String(v)]));
  }
  const issues = crossFieldIssues(config, files, issue);
  return { config: issues.length ? undefined : config, issues, locate: yaml.locate };
}

function located(i: ValidationIssue, issue: (path: PropertyKey[], message: string, key?: string) => Issue): Issue {
  switch (i.kind) {
    case 'unknown-key':
      return issue(i.path, `unknown key "${i.key}"`, i.key);
    case 'invalid-key':
      // A bad map key (image name, build arg name): point at the key, say what the key must be.
      return issue(i.path, i.message, i.key);
    case 'missing':
      return { ...issue(i.path, `required key "${i.key}" is missing`), path: [...i.path, i.key].join('.') };
    default:
      return issue(i.path, i.message);
  }
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
