// Variable substitution as Docker's shell lexer does it for FROM, ARG, ENV and COPY/ADD sources:
// $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word}; quotes removed, '...' not expanded.

export type Vars = ReadonlyMap<string, string | undefined>;

export function expandWord(word: string, vars: Vars, escape = '\\'): string {
  let out = '';
  let i = 0;
  let quote: '"' | "'" | null = null;
  while (i < word.length) {
    const ch = word[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else out += ch;
      i++;
      continue;
    }
    if (ch === escape && i + 1 < word.length) {
      out += word[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"' || (ch === "'" && quote === null)) {
      quote = quote === ch ? null : (ch as '"' | "'");
      i++;
      continue;
    }
    if (ch === '$') {
      const [value, next] = expandVariable(word, i + 1, vars, escape);
      out += value;
      i = next;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function expandVariable(word: string, start: number, vars: Vars, escape: string): [string, number] {
  if (word[start] === '{') {
    const close = findClosingBrace(word, start + 1);
    const body = word.slice(start + 1, close);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([\s\S]*))?$/.exec(body);
    if (!m) return ['', close + 1];
    const value = vars.get(m[1]!);
    const op = m[2];
    const alt = m[3] ?? '';
    const isSet = value !== undefined;
    const isNonEmpty = isSet && value !== '';
    switch (op) {
      case ':-':
        return [isNonEmpty ? value! : expandWord(alt, vars, escape), close + 1];
      case '-':
        return [isSet ? value! : expandWord(alt, vars, escape), close + 1];
      case ':+':
        return [isNonEmpty ? expandWord(alt, vars, escape) : '', close + 1];
      case '+':
        return [isSet ? expandWord(alt, vars, escape) : '', close + 1];
      default:
        return [value ?? '', close + 1];
    }
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(start));
  if (!m) return ['$', start];
  return [vars.get(m[0]) ?? '', start + m[0].length];
}

function findClosingBrace(word: string, from: number): number {
  let depth = 1;
  for (let i = from; i < word.length; i++) {
    if (word[i] === '{') depth++;
    else if (word[i] === '}' && --depth === 0) return i;
  }
  return word.length;
}

/**
 * Splits `K=V K2="v 2"` (ARG, ENV, LABEL) into pairs, honouring quotes. A token without `=`
 * yields value undefined (`ARG NAME`). The legacy `ENV K V` form is handled by the caller.
 */
export function splitAssignments(rest: string, escape = '\\'): { key: string; raw?: string }[] {
  const out: { key: string; raw?: string }[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
    if (i >= rest.length) break;
    let token = '';
    let quote: string | null = null;
    while (i < rest.length && (quote !== null || !/\s/.test(rest[i]!))) {
      const ch = rest[i]!;
      if (ch === escape && quote !== "'" && i + 1 < rest.length) {
        token += ch + rest[i + 1];
        i += 2;
        continue;
      }
      if (quote === null && (ch === '"' || ch === "'")) quote = ch;
      else if (quote === ch) quote = null;
      token += ch;
      i++;
    }
    const eq = token.indexOf('=');
    if (eq < 0) out.push({ key: token });
    else out.push({ key: token.slice(0, eq), raw: token.slice(eq + 1) });
  }
  return out;
}
