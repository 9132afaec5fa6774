// Dockerfile lexer: logical instructions with line numbers, following BuildKit's parser rules
// (parser directives, escape token, line continuations, comments inside continuations, heredocs).

export interface Heredoc {
  name: string;
  body: string;
}

export interface Instruction {
  /** Upper-cased instruction keyword. */
  keyword: string;
  /** Everything after the keyword, continuations joined, comment lines removed, ends trimmed. */
  rest: string;
  /** 1-based line of the keyword. */
  line: number;
  heredocs: Heredoc[];
  /** Canonical text for the digest: keyword case, comments and continuations do not matter. */
  normalized: string;
}

export interface ParsedDockerfile {
  escape: string;
  instructions: Instruction[];
  /** The `# syntax=` directive: the frontend image that decides what the Dockerfile means. */
  syntax?: { value: string; line: number };
}

export class DockerfileSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC_MARK = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  let syntax: ParsedDockerfile['syntax'];
  let i = 0;
  // Parser directives: only at the very top, before any comment, blank line or instruction.
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'syntax') syntax = { value: m[2]!, line: i + 1 };
    if (m[1]!.toLowerCase() === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw new DockerfileSyntaxError(`invalid escape token '${m[2]}'`, i + 1);
      escape = m[2]!;
    }
  }
  const continuation = new RegExp(`${escapeRegExp(escape)}[ \\t]*$`);
  const instructions: Instruction[] = [];
  while (i < lines.length) {
    const first = lines[i]!.trimStart();
    const startLine = i + 1;
    i++;
    if (first === '' || first.startsWith('#')) continue;
    let logical = '';
    let current = first;
    for (;;) {
      if (!continuation.test(current)) {
        logical += current;
        break;
      }
      logical += current.replace(continuation, '');
      // Comment and blank lines inside a continuation are dropped, as BuildKit does.
      while (i < lines.length && isSkippableContinuationLine(lines[i]!)) i++;
      if (i >= lines.length) break;
      current = lines[i]!;
      i++;
    }
    logical = logical.trim();
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(logical)!;
    const keyword = m[1]!.toUpperCase();
    const rest = (m[2] ?? '').trim();
    if (!KEYWORDS.has(keyword)) throw new DockerfileSyntaxError(`unknown instruction: ${m[1]}`, startLine);
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) {
      for (const mark of rest.matchAll(HEREDOC_MARK)) {
        const stripTabs = mark[1] === '-';
        const name = mark[3]!;
        const body: string[] = [];
        let closed = false;
        while (i < lines.length) {
          const bodyLine = lines[i]!;
          i++;
          if ((stripTabs ? bodyLine.replace(/^\t+/, '') : bodyLine) === name) {
            closed = true;
            break;
          }
          body.push(bodyLine);
        }
        if (!closed) throw new DockerfileSyntaxError(`unterminated heredoc <<${name}`, startLine);
        heredocs.push({ name, body: body.join('\n') });
      }
    }
    const head = rest === '' ? keyword : `${keyword} ${rest}`;
    const normalized = heredocs.reduce((acc, h) => `${acc}\n${h.body}\n${h.name}`, head);
    instructions.push({ keyword, rest, line: startLine, heredocs, normalized });
  }
  return syntax ? { escape, instructions, syntax } : { escape, instructions };
}

function isSkippableContinuationLine(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed === '' || trimmed.startsWith('#');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface FlagsAndArgs {
  flags: Map<string, string[]>;
  /** The arguments after the flags; JSON form decoded, shell form split on whitespace. */
  args: string[];
  json: boolean;
}

/** Splits `--flag=value --flag2 arg1 arg2` or `--flag=v ["a", "b"]`. Flags may repeat (e.g. --mount). */
export function splitFlags(rest: string): FlagsAndArgs {
  const flags = new Map<string, string[]>();
  let remaining = rest;
  for (;;) {
    const m = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(remaining);
    if (!m) break;
    const list = flags.get(m[1]!) ?? [];
    list.push(m[2] ?? 'true');
    flags.set(m[1]!, list);
    remaining = remaining.slice(m[0].length);
  }
  remaining = remaining.trim();
  if (remaining.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(remaining);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) {
        return { flags, args: parsed as string[], json: true };
      }
    } catch {
      // Not JSON: Docker falls back to the shell form too.
    }
  }
  return { flags, args: remaining === '' ? [] : remaining.split(/\s+/), json: false };
}
