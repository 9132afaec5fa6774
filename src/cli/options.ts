// Shared flags (SPEC section 1). Every flag also reads SLIPWAY_<FLAG>; booleans accept 1/true/yes.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PLATFORM_PATTERN, REPO_PATTERN } from '../core/naming.js';

export interface CommonFlags {
  dir: string;
  output: 'text' | 'json';
  color: boolean;
  verbose: boolean;
}

export interface SourceFlags {
  dev: boolean;
  commit?: string;
}

export interface DeployIdentityFlags {
  env?: string;
  namespace?: string;
  release?: string;
}

const envName = (flag: string) => `SLIPWAY_${flag.toUpperCase().replace(/-/g, '_')}`;

function matching(re: RegExp, what: string) {
  return (value: string): string => {
    if (!re.test(value)) throw new InvalidArgumentError(`${what} "${value}" must match ${re.source}`);
    return value;
  };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function valueOption(flags: string, description: string, parse?: (v: string) => string): Option {
  const long = /--([a-z-]+)/.exec(flags)![1]!;
  const option = new Option(flags, description).env(envName(long));
  return parse ? option.argParser(parse) : option;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function listOption(flags: string, description: string): Option {
  const long = /--([a-z-]+)/.exec(flags)![1]!;
  // SLIPWAY_VALUES / SLIPWAY_SET hold one value; repeat the flag for more.
  return new Option(flags, description).env(envName(long)).argParser(collect);
}

/** Boolean flags read their variable here: commander would treat SLIPWAY_DEV=false as true. */
const BOOLEAN_FLAGS = new Set<string>();
function booleanOption(flags: string, description: string): Option {
  const long = /--([a-z-]+)/.exec(flags)![1]!;
  BOOLEAN_FLAGS.add(long);
  // Not commander's .env(): it would read SLIPWAY_DEV=false as true. Said in the help all the same.
  return new Option(flags, `${description} (env: ${envName(long)})`);
}

/** A boolean flag that also reads SLIPWAY_<FLAG>. */
export const booleanFlag = booleanOption;

export function applyBooleanEnv(command: Command, env: NodeJS.ProcessEnv): void {
  // --no-color sets `color` to false; SLIPWAY_NO_COLOR=true does the same.
  const noColor = env[envName('no-color')];
  if (noColor !== undefined && command.getOptionValueSource('color') !== 'cli' && /^(1|true|yes|on)$/i.test(noColor)) {
    command.setOptionValueWithSource('color', false, 'env');
  }
  for (const long of BOOLEAN_FLAGS) {
    const key = long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const raw = env[envName(long)];
    if (raw === undefined || command.getOptionValueSource(key) === 'cli') continue;
    if (!command.options.some((o) => o.long === `--${long}`)) continue;
    command.setOptionValueWithSource(key, /^(1|true|yes|on)$/i.test(raw), 'env');
  }
}

export function addCommonOptions(command: Command): Command {
  return command
    .addOption(valueOption('--dir <dir>', 'project directory holding slipway.yaml').default('.'))
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text').env(envName('output')))
    .addOption(new Option('--no-color', 'disable colours (NO_COLOR is respected too) (env: SLIPWAY_NO_COLOR)'))
    .addOption(booleanOption('--verbose', 'more detail on stderr'));
}

export function addSourceOptions(command: Command): Command {
  return command
    .addOption(booleanOption('--dev', 'use the working tree as it is, including uncommitted and untracked files'))
    .addOption(valueOption('--commit <sha>', 'read inputs from this commit instead of HEAD'));
}

export function addRepoOption(command: Command): Command {
  return command.addOption(valueOption('--repo <registry/path>', 'image repository (default: repo in slipway.yaml)', matching(REPO_PATTERN, 'repository')));
}

export function addStrictOption(command: Command): Command {
  return command.addOption(booleanOption('--strict', "treat inputs outside Git's control (unpinned FROM, ADD <url>) as errors"));
}

export function addDeployIdentityOptions(command: Command): Command {
  return command
    .addOption(valueOption('--env <name>', 'environment: selects values.<env>.yaml, names the release', matching(DNS_LABEL, 'environment')))
    .addOption(valueOption('--namespace <ns>', 'release namespace (default: slipway.yaml, else <project>[-<env>])', matching(DNS_LABEL, 'namespace')))
    .addOption(valueOption('--release <name>', 'release name (default: slipway.yaml, else <project>[-<env>])', matching(DNS_LABEL, 'release')));
}

export function addValuesOptions(command: Command): Command {
  return command
    .addOption(listOption('--values <file>', 'values file, after values.yaml and values.<env>.yaml (repeatable)'))
    .addOption(listOption('--set <path=value>', 'set a value, last wins (repeatable)'));
}

export interface RegistryFlags {
  repo?: string;
  insecureRegistry?: string[];
}

export function addRegistryOptions(command: Command): Command {
  addRepoOption(command);
  return command.addOption(
    new Option('--insecure-registry <host:port>', 'talk plain HTTP to this registry (loopback registries always are); repeatable')
      .env(envName('insecure-registry'))
      .argParser((value: string, previous: string[] | undefined) => collect(matching(REGISTRY_HOST, 'registry')(value), previous)),
  );
}

function parallelism(value: string): string {
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > 64) throw new InvalidArgumentError(`"${value}" must be a whole number from 1 to 64`);
  return value;
}

/** `host[:port]` only: no scheme, path or credentials. */
const REGISTRY_HOST = /^(\[[0-9a-fA-F:]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?)(:[0-9]{1,5})?$/;

export function addBuildOptions(command: Command): Command {
  command.addOption(valueOption('--parallel <n>', 'images built at once (1-64)', parallelism).default('4'));
  return addPlatformOption(command);
}

/** Every command that computes digests takes it, so `digest`, `render` and `build` agree. */
export function addPlatformOption(command: Command): Command {
  return command.addOption(valueOption('--platform <os/arch>', 'build for this platform instead of slipway.yaml\'s (part of the digest)', matching(PLATFORM_PATTERN, 'platform')));
}

export interface ClusterFlags {
  kubeconfig?: string;
  kubeContext?: string;
  timeout: string;
}

/** `5m`, `90s`, `1h30m`, `500ms`, or `0` (none): milliseconds. */
export function durationMs(value: string): number {
  if (value === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = '';
  for (const m of value.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0];
  }
  if (consumed !== value || value === '') throw new InvalidArgumentError(`"${value}" is not a duration (e.g. 90s, 5m, 1h30m, 0 for none)`);
  return total;
}

const duration = (value: string): string => (durationMs(value), value);

export function addClusterOptions(command: Command): Command {
  return command
    .addOption(valueOption('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then in-cluster)'))
    .addOption(valueOption('--kube-context <name>', 'kubeconfig context (default: its current context)'))
    .addOption(valueOption('--timeout <duration>', 'how long resources may take to become ready (0 = no limit)', duration).default('5m'));
}

export function addLockOption(command: Command): Command {
  return command.addOption(valueOption('--lock-timeout <duration>', 'how long to wait for another run of this release to finish', duration).default('5m'));
}

export function addDeployOptions(command: Command): Command {
  return command
    .addOption(booleanOption('--atomic', 'on failure, re-apply the last deployed revision and track it'))
    .addOption(booleanOption('--require-built-images', 'fail (exit 3) instead of building when an image is missing from the registry'));
}
