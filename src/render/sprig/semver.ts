// semverCompare with Masterminds/semver v3 constraints: = != > < >= <=, AND by space or comma,
// OR by ||, hyphen ranges, x/* wildcards, ~ and ^; a pre-release version matches only a
// constraint that has a pre-release itself. Unparsable input is an error, as in Helm.
import { HelperTypeError } from './format.js';

interface Version {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

function parseVersion(text: string): Version {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) throw new HelperTypeError(`invalid semantic version ${JSON.stringify(text)}`);
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), pre: m[4] ?? '' };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    if (as[i] === undefined) return -1;
    if (bs[i] === undefined) return 1;
    const [x, y] = [as[i]!, bs[i]!];
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny && Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function compare(a: Version, b: Version): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePre(a.pre, b.pre);
}

type Check = (v: Version) => boolean;

/** One comparison, e.g. `>=1.2`, `~1.2.3`, `1.x`; returns the checks it stands for. */
function term(text: string): { checks: Check[]; pre: boolean } {
  const m = /^(!=|>=|=>|<=|=<|>|<|=|~>?|\^)?\s*v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (!m) throw new HelperTypeError(`improper constraint: ${text}`);
  const op = m[1] ?? '=';
  const wild = (p?: string) => p === undefined || /^[xX*]$/.test(p);
  const [M, mi, p] = [m[2]!, m[3], m[4]];
  const pre = m[5] ?? '';
  const base: Version = { major: wild(M) ? 0 : Number(M), minor: wild(mi) ? 0 : Number(mi), patch: wild(p) ? 0 : Number(p), pre };
  const level = wild(M) ? 0 : wild(mi) ? 1 : wild(p) ? 2 : 3; // how many parts are fixed
  const bump = (v: Version, at: number): Version => (at === 0 ? { major: v.major + 1, minor: 0, patch: 0, pre: '' } : at === 1 ? { major: v.major, minor: v.minor + 1, patch: 0, pre: '' } : { ...v, patch: v.patch + 1, pre: '' });
  const ge = (x: Version): Check => (v) => compare(v, x) >= 0;
  const lt = (x: Version): Check => (v) => compare(v, x) < 0;
  const hasPre = pre !== '';
  if (level === 0) return { checks: op === '!=' || op === '<' ? [() => false] : [() => true], pre: hasPre };
  switch (op) {
    case '=':
      return { checks: level === 3 ? [(v) => compare(v, base) === 0] : [ge(base), lt(bump(base, level - 1))], pre: hasPre };
    case '!=':
      return { checks: level === 3 ? [(v) => compare(v, base) !== 0] : [(v) => !(compare(v, base) >= 0 && compare(v, bump(base, level - 1)) < 0)], pre: hasPre };
    case '>':
      return { checks: [level === 3 ? (v) => compare(v, base) > 0 : ge(bump(base, level - 1))], pre: hasPre };
    case '>=':
    case '=>':
      return { checks: [ge(base)], pre: hasPre };
    case '<':
      return { checks: [lt(base)], pre: hasPre };
    case '<=':
    case '=<':
      return { checks: [level === 3 ? (v) => compare(v, base) <= 0 : lt(bump(base, level - 1))], pre: hasPre };
    case '~':
    case '~>':
      return { checks: [ge(base), lt(bump(base, level === 1 ? 0 : 1))], pre: hasPre };
    default: {
      // ^: the first non-zero part may not change.
      const at = base.major > 0 || level === 1 ? 0 : base.minor > 0 || level === 2 ? 1 : 2;
      return { checks: [ge(base), lt(bump(base, at))], pre: hasPre };
    }
  }
}

export function semverCompare(constraint: string, version: string): boolean {
  const v = parseVersion(version);
  return constraint.split('||').some((alternative) => {
    const text = alternative.trim().replace(/\s+-\s+/g, ' - ');
    const parts: { checks: Check[]; pre: boolean }[] = [];
    const tokens = text.split(/[\s,]+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i + 1] === '-' && tokens[i + 2] !== undefined) {
        const low = term(`>=${tokens[i]}`);
        const high = term(`<=${tokens[i + 2]}`);
        parts.push({ checks: [...low.checks, ...high.checks], pre: low.pre || high.pre });
        i += 2;
      } else if (/^(!=|>=|=>|<=|=<|>|<|=|~>?|\^)$/.test(tokens[i]!) && tokens[i + 1] !== undefined) {
        parts.push(term(`${tokens[i]}${tokens[i + 1]}`));
        i += 1;
      } else parts.push(term(tokens[i]!));
    }
    if (parts.length === 0) throw new HelperTypeError(`improper constraint: ${alternative}`);
    if (v.pre !== '' && !parts.some((p) => p.pre)) return false;
    return parts.every((p) => p.checks.every((c) => c(v)));
  });
}
