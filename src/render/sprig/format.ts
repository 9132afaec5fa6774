// Go's fmt for template values (what `{{x}}`, print, printf, toString, cat and join print):
// nil is `<nil>`, maps print `map[k:v]` with sorted keys, lists `[a b]`. JavaScript has one
// number type: integral numbers print as integers (Helm would print a values-file 1000000 as
// 1e+06; slipway does not reproduce that bug), others with Go's shortest %g rules.

export class HelperTypeError extends Error {}

export const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);

function formatFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [mantissa, e] = n.toExponential().split('e');
    const sign = e!.startsWith('-') ? '-' : '+';
    return `${mantissa}e${sign}${e!.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(n);
}

/** `%v` of a value, as Go's fmt.Sprint prints it. */
export function goString(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goString(v[k])}`).join(' ')}]`;
  return String(v);
}

/** Go's `%q`: a double-quoted string with Go escapes; printable Unicode is kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const typeName = (v: unknown): string =>
  v === undefined || v === null ? '<nil>' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';

function pad(text: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || text.length >= width) return text;
  if (left) return text.padEnd(width);
  if (zero) {
    const sign = /^[+-]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

/** fmt.Sprintf for the verbs charts use: %s %v %d %q %f %e %g %x %X %o %b %c %t %%, with flags, width and precision. */
export function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  let out = '';
  const re = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    out += format.slice(last, m.index);
    last = re.lastIndex;
    const [, flags = '', w, p, verb] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[next++];
    const width = w === undefined ? undefined : Number(w);
    const precision = p === undefined ? undefined : Number(p);
    const bad = () => `%!${verb}(${typeName(arg)}=${goString(arg)})`;
    const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const signed = (n: number, text: string) => (n >= 0 ? plus + text : text);
    let text: string;
    switch (verb) {
      case 'v':
        text = goString(arg);
        break;
      case 's':
        text = typeof arg === 'string' ? arg : arg !== null && typeof arg === 'object' ? goString(arg) : bad();
        if (precision !== undefined && typeof arg === 'string') text = text.slice(0, precision);
        break;
      case 'q':
        text = typeof arg === 'string' ? goQuote(arg) : typeof arg === 'number' && Number.isInteger(arg) ? `'${String.fromCodePoint(arg)}'` : bad();
        break;
      case 'd':
        text = typeof arg === 'number' && Number.isInteger(arg) ? signed(arg, String(arg)) : bad();
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'g':
        if (typeof arg !== 'number') text = bad();
        else if (verb === 'e') text = signed(arg, arg.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'));
        else if (verb === 'g') text = signed(arg, precision === undefined ? formatFloat(arg) : String(Number(arg.toPrecision(precision))));
        else text = signed(arg, arg.toFixed(precision ?? 6));
        break;
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const base = verb === 'o' ? 8 : verb === 'b' ? 2 : 16;
        if (typeof arg === 'number' && Number.isInteger(arg)) text = signed(arg, arg.toString(base));
        else if (typeof arg === 'string' && base === 16) text = Buffer.from(arg, 'utf8').toString('hex');
        else text = bad();
        if (verb === 'X') text = text.toUpperCase();
        break;
      }
      case 'c':
        text = typeof arg === 'number' && Number.isInteger(arg) ? String.fromCodePoint(arg) : bad();
        break;
      case 't':
        text = typeof arg === 'boolean' ? String(arg) : bad();
        break;
      default:
        text = `%!${verb}(${typeName(arg)}=${goString(arg)})`;
    }
    out += pad(text, width, flags.includes('-'), flags.includes('0') && /[dfFeEgxXob]/.test(verb!));
  }
  out += format.slice(last);
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((a) => `${typeName(a)}=${goString(a)}`).join(', ')})`;
  return out;
}

/** fmt.Sprint: a space between operands only when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += goString(a);
  });
  return out;
}

export { typeName };
