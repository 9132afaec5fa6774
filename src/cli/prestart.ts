// What runs before the CLI's script loads: bin/slipway runs this small script (its own bundle,
// dist/bundle/prestart.cjs) first. Reading and deserialising the CLI takes 20-40 ms on a small
// machine; when the command reads the project, Git's processes (rev-parse, ls-tree, status) run
// meanwhile instead of after it. The flags are only guessed here, from the command line and
// SLIPWAY_* as commander reads them: the command takes the snapshot only if its parsed flags name
// the same directory and commit (adapters/git.ts), and main discards it otherwise.
import { StartedSnapshot } from '../adapters/git-snapshot.js';

/** The commands whose action opens the project at once (they call earlySource). */
export const SOURCE_COMMANDS: ReadonlySet<string> = new Set(['build', 'converge', 'digest', 'plan', 'render', 'verify']);

/** `--dir` and `--commit` as commander would read them for `argv` (`[node, script, command, ...]`). */
export function guessSourceFlags(argv: readonly string[], env: NodeJS.ProcessEnv): { dir: string; commit: string | undefined } | undefined {
  if (!SOURCE_COMMANDS.has(argv[2] ?? '')) return undefined;
  // commander: the command line over SLIPWAY_<FLAG> over the default; an empty variable counts.
  let dir = env.SLIPWAY_DIR ?? '.';
  let commit = env.SLIPWAY_COMMIT;
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--help' || arg === '-h') return undefined;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name !== '--dir' && name !== '--commit') continue;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return undefined; // commander will refuse the command line
    if (name === '--dir') dir = value;
    else commit = value;
  }
  return { dir, commit };
}

/** The Git snapshot of the project the command line names, already running; undefined if none. */
export function prestart(argv: readonly string[], env: NodeJS.ProcessEnv): StartedSnapshot | undefined {
  const flags = guessSourceFlags(argv, env);
  return flags ? new StartedSnapshot(flags.dir, flags.commit) : undefined;
}
