// The slipway.yaml validator used at run time: the rules of schema.ts (zod, which generates
// schema/slipway.schema.json) written out by hand, so that every command does not compile zod
// (~770 KB) before it starts. A unit test runs both over the same corpus and compares them.
import { PLATFORM_PATTERN, REPO_PATTERN } from '../core/naming.js';
import type { ImageConfig, SlipwayConfig } from './types.js';

export type ValidationIssue =
  | { kind: 'unknown-key'; path: PropertyKey[]; key: string }
  | { kind: 'invalid-key'; path: PropertyKey[]; key: string; message: string }
  | { kind: 'missing'; path: PropertyKey[]; key: string }
  | { kind: 'invalid'; path: PropertyKey[]; message: string };

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ARG_MESSAGE = 'build arg names are [A-Za-z_][A-Za-z0-9_]*';
const nameMessage = (what: string) => `${what} must be lowercase letters, digits and '-' (not at the ends)`;
const REPO_MESSAGE = 'must be REGISTRY[/PATH] in lowercase, e.g. registry.example.com/shop or 127.0.0.1:5000/shop';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'mapping' : typeof v);

class Checker {
  readonly issues: ValidationIssue[] = [];

  invalid(path: PropertyKey[], message: string): undefined {
    this.issues.push({ kind: 'invalid', path, message });
    return undefined;
  }

  /** A mapping with only `allowed` keys; unknown keys are reported, the known ones returned. */
  object(value: unknown, path: PropertyKey[], allowed: readonly string[], what = 'a mapping'): Json | undefined {
    if (!isMap(value)) return this.invalid(path, `must be ${what}, not ${kindOf(value)}`);
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.issues.push({ kind: 'unknown-key', path, key });
    return value;
  }

  string(value: unknown, path: PropertyKey[], rules: { min?: number; max?: number; pattern?: RegExp; message?: string } = {}): string | undefined {
    if (typeof value !== 'string') return this.invalid(path, `must be a string, not ${kindOf(value)}`);
    if (rules.min !== undefined && value.length < rules.min) return this.invalid(path, 'must not be empty');
    if (rules.max !== undefined && value.length > rules.max) return this.invalid(path, `must be at most ${rules.max} characters`);
    if (rules.pattern && !rules.pattern.test(value)) return this.invalid(path, rules.message ?? `must match ${rules.pattern}`);
    return value;
  }

  name(value: unknown, path: PropertyKey[], what: string): string | undefined {
    return this.string(value, path, { max: 63, pattern: NAME, message: nameMessage(what) });
  }

  relativePath(value: unknown, path: PropertyKey[], fallback: string): string | undefined {
    if (value === undefined) return fallback;
    const text = this.string(value, path, { min: 1 });
    if (text !== undefined && text.startsWith('/')) return this.invalid(path, 'must be a path relative to the project directory');
    return text;
  }
}

function image(c: Checker, value: unknown, path: PropertyKey[]): ImageConfig | undefined {
  const raw = c.object(value, path, ['context', 'dockerfile', 'target', 'args', 'platform', 'repo', 'dependencies']);
  if (!raw) return undefined;
  const out: ImageConfig = {
    context: c.relativePath(raw.context, [...path, 'context'], '.') ?? '.',
    dockerfile: c.relativePath(raw.dockerfile, [...path, 'dockerfile'], 'Dockerfile') ?? 'Dockerfile',
    args: Object.create(null) as ImageConfig['args'],
    platform: raw.platform === undefined ? 'linux/amd64' : (c.string(raw.platform, [...path, 'platform'], { pattern: PLATFORM_PATTERN, message: 'must be os/arch[/variant], e.g. linux/amd64' }) ?? ''),
    dependencies: [],
  };
  if (raw.target !== undefined) out.target = c.string(raw.target, [...path, 'target'], { min: 1 });
  if (raw.repo !== undefined) out.repo = c.string(raw.repo, [...path, 'repo'], { pattern: REPO_PATTERN, message: REPO_MESSAGE });
  if (raw.args !== undefined) {
    if (!isMap(raw.args)) c.invalid([...path, 'args'], `must be a mapping, not ${kindOf(raw.args)}`);
    else {
      for (const [key, arg] of Object.entries(raw.args)) {
        if (!ARG_NAME.test(key)) c.issues.push({ kind: 'invalid-key', path: [...path, 'args'], key, message: ARG_MESSAGE });
        else if (typeof arg !== 'string' && typeof arg !== 'number' && typeof arg !== 'boolean') c.invalid([...path, 'args', key], `must be a string, number or boolean, not ${kindOf(arg)}`);
        else out.args[key] = arg;
      }
    }
  }
  if (raw.dependencies !== undefined) {
    if (!Array.isArray(raw.dependencies)) c.invalid([...path, 'dependencies'], `must be a list, not ${kindOf(raw.dependencies)}`);
    else {
      raw.dependencies.forEach((dep, i) => {
        const at = [...path, 'dependencies', i];
        const d = c.object(dep, at, ['image', 'arg']);
        if (!d) return;
        if (d.image === undefined) c.issues.push({ kind: 'missing', path: at, key: 'image' });
        if (d.arg === undefined) c.issues.push({ kind: 'missing', path: at, key: 'arg' });
        const name = d.image === undefined ? undefined : c.name(d.image, [...at, 'image'], 'image name');
        const arg = d.arg === undefined ? undefined : c.string(d.arg, [...at, 'arg'], { pattern: ARG_NAME, message: ARG_MESSAGE });
        if (name !== undefined && arg !== undefined) out.dependencies.push({ image: name, arg });
      });
    }
  }
  return out;
}

/** The validated config with its defaults, or the problems (all of them) when there are any. */
export function validateConfig(value: unknown): { config?: SlipwayConfig; issues: ValidationIssue[] } {
  const c = new Checker();
  const raw = c.object(value, [], ['project', 'repo', 'images', 'deploy']);
  if (!raw) return { issues: c.issues };
  if (raw.project === undefined) c.issues.push({ kind: 'missing', path: [], key: 'project' });
  const project = raw.project === undefined ? undefined : c.name(raw.project, ['project'], 'project');
  // Maps keyed by user text have no prototype: an arg named __proto__ stays data.
  const config: SlipwayConfig = { project: project ?? '', images: Object.create(null) as SlipwayConfig['images'], deploy: { chart: 'deploy' } };
  if (raw.repo !== undefined) config.repo = c.string(raw.repo, ['repo'], { pattern: REPO_PATTERN, message: REPO_MESSAGE });
  if (raw.images !== undefined) {
    if (!isMap(raw.images)) c.invalid(['images'], `must be a mapping of image names, not ${kindOf(raw.images)}`);
    else {
      for (const [name, spec] of Object.entries(raw.images)) {
        if (name.length > 63 || !NAME.test(name)) c.issues.push({ kind: 'invalid-key', path: ['images'], key: name, message: nameMessage('image name') });
        const built = image(c, spec, ['images', name]);
        if (built) config.images[name] = built;
      }
    }
  }
  if (raw.deploy !== undefined) {
    const d = c.object(raw.deploy, ['deploy'], ['chart', 'release', 'namespace']);
    if (d) {
      config.deploy.chart = c.relativePath(d.chart, ['deploy', 'chart'], 'deploy') ?? 'deploy';
      if (d.release !== undefined) config.deploy.release = c.name(d.release, ['deploy', 'release'], 'release');
      if (d.namespace !== undefined) config.deploy.namespace = c.name(d.namespace, ['deploy', 'namespace'], 'namespace');
    }
  }
  return c.issues.length ? { issues: c.issues } : { config, issues: [] };
}
