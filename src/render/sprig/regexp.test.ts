// The regex helpers run Go's RE2 semantics (Helm's): its syntax, its replacement rules, its errors,
// and linear time on patterns that make a backtracking engine run for minutes.
import { describe, expect, it } from 'vitest';
import { createEnvironment } from '../environment.js';

const render = (source: string, values: Record<string, unknown> = {}) => createEnvironment([]).render({ path: 'chart/templates/t.yaml', source }, { values });

describe('regex helpers (RE2)', () => {
  it('answers at once where a backtracking engine would not', () => {
    expect(render('{{regexMatch "(a+)+$" values.s}}|{{regexReplaceAll "(x+x+)+y" values.t "-"}}', { s: `${'a'.repeat(5000)}b`, t: 'x'.repeat(5000) })).toBe(`false|${'x'.repeat(5000)}`);
    expect(render('{{regexMatch "^(a|aa)+$" values.s}}', { s: `${'a'.repeat(60)}!` })).toBe('false');
  });

  it("reads Go's syntax: inline flags, named groups, Unicode and POSIX classes", () => {
    expect(render('{{regexMatch "(?i)^true$" "TRUE"}}|{{regexMatch "^\\pL+$" "héllo"}}|{{regexMatch "^[[:alpha:]]+$" "ab1"}}|{{regexMatch "a\\z" "ba"}}')).toBe('true|true|false|true');
    expect(render('{{regexReplaceAll "(?P<k>\\w+)=(?P<v>\\w+)" "a=1 b=2" "${v}:$k"}}')).toBe('1:a 2:b');
  });

  it("replaces as Go's ReplaceAllString: no empty match right after a match, anchors at the start only", () => {
    expect(render('{{regexReplaceAll "a*" "baaac" "X"}}|{{regexReplaceAll "^a" "aaa" "X"}}|{{regexReplaceAll "" "😀é" "-"}}')).toBe('XbXcX|Xaa|-😀-é-');
    expect(render('{{regexReplaceAll "(a)(b)?" "ab a" "[$2$1$3]"}}|{{regexReplaceAll "a" "a" "$$"}}')).toBe('[ba] [a]|$');
  });

  it("refuses what RE2 refuses, with Go's error; regexMatch answers false as Sprig does", () => {
    expect(render('{{regexMatch "(?=a)" "a"}}|{{regexMatch "\\1" "a"}}|{{regexMatch "a{1001}" "a"}}')).toBe('false|false|false');
    expect(() => render('{{regexReplaceAll "(?<=a)b" "ab" "x"}}')).toThrow('regexReplaceAll: regexp: Compile("(?<=a)b"): error parsing regexp:');
    expect(() => render('{{regexReplaceAll "(" "x" "y"}}')).toThrow('regexp: Compile("("): error parsing regexp: missing closing ): `(`');
  });
});
