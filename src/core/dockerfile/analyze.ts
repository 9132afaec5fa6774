// Stage graph of a parsed Dockerfile: which stages the target needs, their resolved ARGs, the
// context sources they copy, the slipway images they use, and what lies outside Git's control.
import { expandWord, splitAssignments, type Vars } from './expand.js';
import { DockerfileSyntaxError, splitFlags, type Instruction, type ParsedDockerfile } from './parse.js';

export interface AnalyzeInput {
  dockerfile: ParsedDockerfile;
  target?: string;
  platform: string;
  /** Build args from slipway.yaml (only declared ARGs count). */
  buildArgs: Record<string, string>;
  /** ARG name -> slipway image whose reference it receives (`dependencies:`). */
  dependencyArgs: Record<string, string>;
  /** Names of the images defined in slipway.yaml. */
  imageNames: ReadonlySet<string>;
}

export interface StageSummary {
  name: string | null;
  /** FROM reference after ARG substitution. */
  from: string;
  /** FROM --platform after ARG substitution ($BUILDPLATFORM stays symbolic: the build machine is not an input). */
  platform?: string;
  instructions: string[];
}

export interface SourceRef {
  pattern: string;
  line: number;
  instruction: string;
  /** COPY/ADD --exclude patterns, matched below the source as BuildKit does. */
  exclude?: string[];
}

export interface Warning {
  line: number;
  message: string;
}

export interface DockerfileAnalysis {
  stages: StageSummary[];
  args: Record<string, string | null>;
  sources: SourceRef[];
  /** slipway images used via FROM, COPY --from or --mount from= (sorted). */
  imageDeps: string[];
  /** slipway images whose reference arrives through a declared ARG (sorted). */
  argDeps: string[];
  warnings: Warning[];
  /** The `# syntax=` frontend, when the Dockerfile names one. */
  syntax?: string;
  /** What the target stage's filesystem starts from (its FROM, followed through earlier stages). */
  base: ImageBase;
}

/** The image a build's first layers come from: none, a slipway image, or an external reference. */
export type ImageBase = { kind: 'scratch' } | { kind: 'slipway'; image: string } | { kind: 'image'; ref: string };

interface Stage {
  index: number;
  name: string | null;
  from: string;
  platform?: string;
  fromLine: number;
  instructions: Instruction[];
  vars: Map<string, string | undefined>;
}

/** What a dependency ARG contributes to the digest: the image's name, never its registry. */
export const dependencyPlaceholder = (image: string): string => `slipway-image:${image}`;

const REMOTE_SOURCE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;

export function analyzeDockerfile(input: AnalyzeInput): DockerfileAnalysis {
  const { dockerfile, platform } = input;
  const escape = dockerfile.escape;
  const [os, arch, variant] = platform.split('/');
  const automatic = new Map<string, string | undefined>([
    ['TARGETPLATFORM', platform], ['TARGETOS', os], ['TARGETARCH', arch], ['TARGETVARIANT', variant ?? ''],
    // The build machine's platform is not an input: recording it would make digests machine-dependent.
    ['BUILDPLATFORM', undefined], ['BUILDOS', undefined], ['BUILDARCH', undefined], ['BUILDVARIANT', undefined],
  ]);
  const argValue = (name: string, declared: string | undefined): string | undefined => {
    if (name in input.dependencyArgs) return dependencyPlaceholder(input.dependencyArgs[name]!);
    if (Object.hasOwn(input.buildArgs, name)) return input.buildArgs[name];
    return declared;
  };

  const globals = new Map<string, string | undefined>(automatic);
  const declaredGlobals = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const declaredArgs: { stage: number; name: string; value: string | undefined }[] = [];
  for (const ins of dockerfile.instructions) {
    checkSyntax(ins);
    const current = stages.at(-1);
    if (ins.keyword === 'FROM') {
      const { flags, args } = splitFlags(ins.rest);
      if (args.length !== 1 && !(args.length === 3 && args[1]!.toLowerCase() === 'as')) {
        throw new DockerfileSyntaxError('FROM requires one image, optionally followed by "AS name"', ins.line);
      }
      const vars = new Map(globals);
      const from = expandWord(args[0]!, vars, escape);
      if (from.trim() === '') {
        throw new DockerfileSyntaxError(`FROM ${args[0]}: the base image is empty after substituting ARGs (declare the ARG before FROM, with a default)`, ins.line);
      }
      const platformFlag = flags.get('platform')?.[0];
      const platform = platformFlag === undefined ? undefined : expandWord(platformFlag, new Map([...vars, ['BUILDPLATFORM', '$BUILDPLATFORM'], ['BUILDOS', '$BUILDOS'], ['BUILDARCH', '$BUILDARCH']]), escape);
      stages.push({
        index: stages.length,
        name: args.length === 3 ? args[2]!.toLowerCase() : null,
        from,
        ...(platform !== undefined ? { platform } : {}),
        fromLine: ins.line,
        instructions: [ins],
        vars: new Map(),
      });
      continue;
    }
    if (ins.keyword === 'ARG' && splitAssignments(ins.rest, escape).length === 0) throw new DockerfileSyntaxError('ARG requires a name', ins.line);
    if (!current) {
      if (ins.keyword !== 'ARG') throw new DockerfileSyntaxError(`${ins.keyword} before the first FROM`, ins.line);
      for (const { key, raw } of splitAssignments(ins.rest, escape)) {
        const value = argValue(key, raw === undefined ? globals.get(key) : expandWord(raw, globals, escape));
        globals.set(key, value);
        declaredGlobals.set(key, value);
      }
      continue;
    }
    current.instructions.push(ins);
    if (ins.keyword === 'ARG') {
      for (const { key, raw } of splitAssignments(ins.rest, escape)) {
        const inherited = declaredGlobals.has(key) ? declaredGlobals.get(key) : automatic.get(key);
        const value = argValue(key, raw === undefined ? inherited : expandWord(raw, current.vars, escape));
        current.vars.set(key, value);
        declaredArgs.push({ stage: current.index, name: key, value });
      }
    } else if (ins.keyword === 'ENV') {
      const pairs = splitAssignments(ins.rest, escape);
      if (pairs.length >= 1 && pairs[0]!.raw === undefined) {
        // Legacy form: ENV KEY value with spaces
        const [key, ...value] = ins.rest.split(/\s+/);
        current.vars.set(key!, expandWord(value.join(' '), current.vars, escape));
      } else {
        for (const { key, raw } of pairs) current.vars.set(key, expandWord(raw ?? '', current.vars, escape));
      }
    }
  }
  if (stages.length === 0) throw new DockerfileSyntaxError('no FROM instruction', 1);

  const byName = new Map(stages.filter((s) => s.name).map((s) => [s.name!, s]));
  let target = stages.at(-1)!;
  if (input.target !== undefined) {
    const found = byName.get(input.target.toLowerCase());
    if (!found) throw new DockerfileSyntaxError(`target stage "${input.target}" not found`, 1);
    target = found;
  }

  const warnings: Warning[] = [];
  const imageDeps = new Set<string>();
  /** A stage reference, or else an image: a slipway image, or an external one (a warning unless pinned). */
  const resolveRef = (ref: string, line: number, before: number, numeric: boolean): Stage | null => {
    if (numeric && /^\d+$/.test(ref)) {
      const stage = stages[Number(ref)];
      if (!stage || stage.index >= before) throw new DockerfileSyntaxError(`invalid stage index ${ref}`, line);
      return stage;
    }
    const stage = byName.get(ref.toLowerCase());
    if (stage && stage.index < before) return stage;
    if (input.imageNames.has(ref)) imageDeps.add(ref);
    else if (ref.startsWith(dependencyPlaceholder(''))) imageDeps.add(ref.slice(dependencyPlaceholder('').length));
    else if (ref !== 'scratch' && !/@sha256:[0-9a-f]{64}$/.test(ref)) {
      warnings.push({ line, message: `image "${ref}" is not pinned with @sha256: it is outside Git's control` });
    }
    return null;
  };

  const reachable = new Set<number>();
  const sources: SourceRef[] = [];
  const visit = (stage: Stage): void => {
    if (reachable.has(stage.index)) return;
    reachable.add(stage.index);
    const parent = resolveRef(stage.from, stage.fromLine, stage.index, false);
    if (parent) visit(parent);
    for (const ins of stage.instructions.slice(1)) {
      for (const dep of instructionDeps(ins, stage, sources, warnings, escape)) {
        const ref = resolveRef(dep, ins.line, stage.index, true);
        if (ref) visit(ref);
      }
    }
  };
  visit(target);
  const base = baseOf(target, byName, input.imageNames);

  if (dockerfile.syntax && !/@sha256:[0-9a-f]{64}$/.test(dockerfile.syntax.value)) {
    warnings.push({ line: dockerfile.syntax.line, message: `frontend "${dockerfile.syntax.value}" (# syntax=) is not pinned with @sha256: what the Dockerfile means is outside Git's control` });
  }
  const reachableStages = stages.filter((s) => reachable.has(s.index));
  const args: Record<string, string | null> = {};
  for (const a of declaredArgs) {
    if (reachable.has(a.stage) && !(a.name in args)) args[a.name] = a.value ?? null;
  }
  const argDeps = Object.entries(input.dependencyArgs)
    .filter(([name]) => name in args || declaredGlobals.has(name))
    .map(([, image]) => image);
  return {
    stages: reachableStages.map((s) => ({
      name: s.name,
      from: s.from,
      ...(s.platform !== undefined ? { platform: s.platform } : {}),
      instructions: s.instructions.map((i) => i.normalized),
    })),
    ...(dockerfile.syntax ? { syntax: dockerfile.syntax.value } : {}),
    args,
    sources,
    imageDeps: [...imageDeps].sort(),
    argDeps: [...new Set(argDeps)].sort(),
    warnings: warnings.sort((a, b) => a.line - b.line),
    base,
  };
}

function baseOf(target: Stage, byName: ReadonlyMap<string, Stage>, imageNames: ReadonlySet<string>): ImageBase {
  let stage = target;
  for (;;) {
    const parent = byName.get(stage.from.toLowerCase());
    if (parent && parent.index < stage.index) {
      stage = parent;
      continue;
    }
    const ref = stage.from;
    if (ref === 'scratch') return { kind: 'scratch' };
    if (imageNames.has(ref)) return { kind: 'slipway', image: ref };
    if (ref.startsWith(dependencyPlaceholder(''))) return { kind: 'slipway', image: ref.slice(dependencyPlaceholder('').length) };
    return { kind: 'image', ref };
  }
}

/** Collects an instruction's context sources into `sources` and returns the stages/images it reads from. */
function instructionDeps(ins: Instruction, stage: Stage, sources: SourceRef[], warnings: Warning[], escape: string): string[] {
  const deps: string[] = [];
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const { flags, args } = splitFlags(ins.rest);
    if (args.length < 2) throw new DockerfileSyntaxError(`${ins.keyword} requires at least two arguments`, ins.line);
    const from = flags.get('from')?.[0];
    if (from !== undefined) {
      deps.push(expandWord(from, stage.vars, escape));
      return deps;
    }
    for (const raw of args.slice(0, -1)) {
      if (/^<<-?["']?[A-Za-z_]/.test(raw)) continue; // heredoc source: content is in the instruction
      const pattern = expandWord(raw, stage.vars, escape);
      if (REMOTE_SOURCE.test(pattern)) {
        if (ins.keyword === 'ADD' && !flags.has('checksum')) {
          warnings.push({ line: ins.line, message: `ADD ${pattern} downloads content outside Git's control` });
        }
        continue;
      }
      const exclude = (flags.get('exclude') ?? []).map((e) => expandWord(e, stage.vars, escape));
      sources.push({ pattern, line: ins.line, instruction: ins.keyword, ...(exclude.length ? { exclude } : {}) });
    }
  } else if (ins.keyword === 'RUN') {
    for (const mount of splitFlags(ins.rest).flags.get('mount') ?? []) {
      const opts = new Map<string, string>();
      for (const part of mount.split(',')) {
        const eq = part.indexOf('=');
        opts.set(eq < 0 ? part : part.slice(0, eq), eq < 0 ? 'true' : part.slice(eq + 1));
      }
      const from = opts.get('from');
      if (from !== undefined) deps.push(expandWord(from, stage.vars, escape));
      else if ((opts.get('type') ?? 'bind') === 'bind') {
        const source = opts.get('source') ?? opts.get('src') ?? '.';
        sources.push({ pattern: expandWord(source, stage.vars, escape), line: ins.line, instruction: 'RUN --mount' });
      }
    }
  }
  return deps;
}

/** The flags BuildKit's Dockerfile frontend accepts per instruction; any other is an error there too. */
const KNOWN_FLAGS: Record<string, readonly string[]> = {
  FROM: ['platform'],
  COPY: ['from', 'chown', 'chmod', 'link', 'parents', 'exclude'],
  ADD: ['chown', 'chmod', 'link', 'checksum', 'keep-git-dir', 'exclude', 'unpack'],
  RUN: ['mount', 'network', 'security', 'device'],
  HEALTHCHECK: ['interval', 'timeout', 'start-period', 'start-interval', 'retries'],
};

/** What Docker refuses before building: unknown flags, and COPY/ADD JSON forms that are not lists of strings. */
function checkSyntax(ins: { keyword: string; rest: string; line: number }): void {
  const { flags } = splitFlags(ins.rest);
  const known = KNOWN_FLAGS[ins.keyword] ?? [];
  for (const flag of flags.keys()) {
    if (!known.includes(flag)) {
      throw new DockerfileSyntaxError(`${ins.keyword}: unknown flag --${flag}${known.length ? ` (${ins.keyword} takes ${known.map((f) => `--${f}`).join(', ')})` : ''}`, ins.line);
    }
  }
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const rest = ins.rest.replace(/^(--[A-Za-z][A-Za-z0-9-]*(=\S*)?\s+)*/, '').trim();
    if (rest.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rest);
      } catch {
        throw new DockerfileSyntaxError(`${ins.keyword}: malformed JSON form ${rest} (expected ["src", ..., "dest"])`, ins.line);
      }
      if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
        throw new DockerfileSyntaxError(`${ins.keyword}: the JSON form must be a list of strings, got ${rest}`, ins.line);
      }
    }
  }
}
