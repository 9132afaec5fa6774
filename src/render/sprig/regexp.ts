// Go RE2 patterns in JavaScript: `(?P<name>…)` becomes `(?<name>…)`; constructs RE2 does not
// have (lookaround, backreferences) are refused rather than given another meaning.

export function goRegExp(pattern: string, flags: string): RegExp | null {
  if (/\(\?[=!<][^P]|\\[1-9]/.test(pattern.replace(/\(\?<(?=[a-zA-Z])/g, '(?P<'))) return null;
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), `${flags}u`);
  } catch {
    return null;
  }
}

/**
 * Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`; `$1W` names the group `1W` (empty when
 * absent), `$$` is a dollar. `match` is String.replace's callback arguments.
 */
export function expandGoTemplate(template: string, match: unknown[]): string {
  const last = match.at(-1);
  const groups = (typeof last === 'object' && last !== null ? last : {}) as Record<string, string | undefined>;
  const numbered = match.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as (string | undefined)[];
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, whole: string, braced?: string, bare?: string) => {
    if (whole === '$') return '$';
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return numbered[Number(name)] ?? '';
    return groups[name] ?? '';
  });
}
