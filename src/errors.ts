// Typed errors carrying the exit codes of SPEC section 2. Only cli/main.ts turns them into an exit.

export const ExitCode = {
  ok: 0,
  failed: 1,
  input: 2,
  environment: 3,
  timeout: 4,
  changes: 6,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorOptions {
  cause?: unknown;
  /** One line telling the user what to do next. */
  hint?: string;
  /** Further lines (one per problem, file, or log line). */
  details?: string[];
  /** Located problems in input files, for --output json. */
  issues?: Issue[];
}

export abstract class SlipwayError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly details: string[];
  readonly issues: Issue[];
  /** Partial result for --output json (revision, resources): what happened before the failure. */
  json?: Record<string, unknown>;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.issues = options.issues ?? [];
  }
}

/** Exit 2: CLI usage, slipway.yaml, values, templates, manifests, Dockerfile syntax, dirty inputs. */
export class InputError extends SlipwayError {
  readonly exitCode = ExitCode.input;
}

/** Exit 3: Docker daemon, registry or cluster unreachable, unauthorized, missing image. */
export class EnvironmentError extends SlipwayError {
  readonly exitCode = ExitCode.environment;
}

/** Exit 1: the work itself failed (a build step, a rollout). */
export class WorkFailedError extends SlipwayError {
  readonly exitCode = ExitCode.failed;
}

/** Exit 4: resources not ready within --timeout. */
export class TimeoutError extends SlipwayError {
  readonly exitCode = ExitCode.timeout;
}

/** Exit 130: SIGINT/SIGTERM; work stopped cleanly. */
export class InterruptedError extends SlipwayError {
  readonly exitCode = ExitCode.interrupted;
}

/** A bug in slipway: printed with its stack. Exit 1. */
export class InternalError extends SlipwayError {
  readonly exitCode = ExitCode.failed;
}

/** A located problem in an input file, e.g. `slipway.yaml:3:5 images.api.context: ...`. */
export interface Issue {
  file: string;
  line?: number;
  column?: number;
  path?: string;
  message: string;
}

export function formatIssue(issue: Issue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
  const path = issue.path ? ` ${issue.path}:` : '';
  return `${where}:${path} ${issue.message}`;
}

export function inputErrorFromIssues(headline: string, issues: Issue[], hint?: string): InputError {
  return new InputError(issues.length === 1 ? `${headline}: ${formatIssue(issues[0]!)}` : headline, {
    details: issues.length === 1 ? [] : issues.map(formatIssue),
    hint,
    issues,
  });
}
