// Each helper against Sprig's documented results (Masterminds/sprig test tables and docs, Helm's
// funcs.go), called from a real template; empty and wrong-type inputs included.
import { describe, expect, it } from 'vitest';
import { createEnvironment, TemplateError } from '../environment.js';

const files = new Map([
  ['files/app.conf', 'port = 8080\n'],
  ['files/b.conf', 'b\n'],
  ['files/sub/c.conf', 'c\n'],
  ['README.md', 'readme\n'],
]);
const render = (source: string, context: Record<string, unknown> = {}) =>
  createEnvironment([{ path: 'chart/templates/_labels.yaml', source: 'app: {{name}}\nchart: {{root.project}}' }], { files }).render({ path: 'chart/templates/t.yaml', source }, { project: 'shop', ...context });

const cases: [string, string, Record<string, unknown>?][] = [
  // strings
  ['{{printf "%s-%d" "web" 8}}', 'web-8'],
  ['{{printf "%05d|%.2f|%q|%v|%x" 42 3.14159 "a\\"b" (list 1 "a") 255}}', '00042|3.14|"a\\"b"|[1 a]|ff'],
  ['{{printf "%s %s" "only"}}', 'only %!s(MISSING)'],
  ['{{printf "%d" "x"}}', '%!d(string=x)'],
  ['{{print 1 2}}|{{print "a" 1}}|{{print "a" "b"}}', '1 2|a1|ab'],
  ['{{replace " " "-" "I Am Henry VIII"}}', 'I-Am-Henry-VIII'],
  ['{{trim "   5.00   "}}', '5.00'],
  ['{{trimAll "$" "$5.00$"}}', '5.00'],
  ['{{trimPrefix "$" "$5.00"}}|{{trimSuffix "$" "5.00$"}}', '5.00|5.00'],
  ['{{contains "cat" "fair catch"}}|{{hasPrefix "cat" "catch"}}|{{hasSuffix "cat" "ducat"}}', 'true|true|true'],
  ['{{title "hello world"}}', 'Hello World'],
  ['{{repeat 3 "hello"}}', 'hellohellohello'],
  ['{{substr 0 3 "fooo"}}|{{substr 0 10 "foo"}}|{{substr 1 -1 "foo"}}', 'foo|foo|oo'],
  ['{{trunc 3 "foooooo"}}|{{trunc -3 "baaaaaar"}}|{{trunc -999 "baaaaaar"}}|{{trunc 0 "x"}}', 'foo|aar|baaaaaar|'],
  ['{{nospace "h e l l o "}}', 'hello'],
  ['{{kebabcase "FirstName"}}|{{kebabcase "HTTPServer"}}|{{kebabcase "NoHTTPS"}}|{{kebabcase "GO_PATH"}}', 'first-name|http-server|no-https|go-path'],
  ['{{snakecase "FirstName"}}|{{snakecase "HTTPServer"}}|{{snakecase "GO-PATH"}}', 'first_name|http_server|go_path'],
  ['{{camelcase "http_server"}}|{{camelcase "_camel_case"}}|{{camelcase "no_https"}}|{{camelcase "all"}}', 'HttpServer|_CamelCase|NoHttps|All'],
  ['{{squote "a" "b" "c"}}|{{squote 1 2 3}}', "'a' 'b' 'c'|'1' '2' '3'"],
  ['{{quote "a" "b"}}|{{quote 1 2 3}}|{{quote values.nothing}}', '"a" "b"|"1" "2" "3"|', { values: { nothing: null } }],
  ['{{cat "a" "b" "c"}}|{{cat "a" values.nothing "b"}}', 'a b c|a b', { values: { nothing: null } }],
  ['{{regexMatch "^[a-z]+@[a-z]+\\.com$" "test@acme.com"}}|{{regexMatch "^[a-z]+@[a-z]+\\.com$" "test"}}|{{regexMatch "(" "x"}}', 'true|false|false'],
  ['{{regexReplaceAll "a(x*)b" "-ab-axxb-" "T"}}|{{regexReplaceAll "a(x*)b" "-ab-axxb-" "$1"}}|{{regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W"}}|{{regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"}}', '-T-T-|--xx-|---|-W-xxW-'],
  ['{{join "," (splitList "$" "foo$bar$baz")}}|{{len (splitList "," "")}}', 'foo,bar,baz|1', {}],
  ['{{join "-" (list "a" "b" "c")}}|{{join "-" (list 1 values.nothing 2)}}|{{join "-" "abc"}}', 'a-b-c|1-2|abc', { values: { nothing: null } }],
  ['{{toString 1}}|{{toString values.nothing}}|{{toString (list 1 2)}}', '1|<nil>|[1 2]', { values: { nothing: null } }],
  // lists
  ['{{first (list 1 2 3)}}|{{last (list 1 2 3)}}|{{first (rest (list 1 2 3))}}|{{first (list)}}', '1|3|2|'],
  ['{{has 1 (list 1 2 3)}}|{{has 4 (list 1 2 3)}}|{{has "bar" values.nothing}}', 'true|false|false', { values: { nothing: null } }],
  ['{{join "," (uniq (list 1 1 1 1 2 2 2 2))}}|{{join "," (uniq (list "foo" 1 1 "foo"))}}', '1,2|foo,1'],
  ['{{join "" (sortAlpha (list "c" "a" "b"))}}|{{join "" (sortAlpha (list 2 1 4 3))}}|{{join "," (sortAlpha (list "b" "B" "a"))}}', 'abc|1234|B,a,b'],
  ['{{join "," (compact (list 1 0 "" "hello"))}}|{{len (compact (list "" ""))}}', '1,hello|0'],
  ['{{toJson (concat (list 1 2 3) (list 4 5) (list (list "foo")))}}', '[1,2,3,4,5,["foo"]]'],
  ['{{join "" (until 5)}}|{{join " " (until -5)}}|{{len (until 0)}}', '01234|0 -1 -2 -3 -4|0'],
  // dicts
  ['{{#with (dict "I" "shot" "the" "albatross")}}{{the}} {{I}}{{/with}}', 'albatross shot'],
  ['{{get (dict "one" 1) "one"}}|{{get (dict) "two"}}|{{hasKey (dict "a" values.nothing) "a"}}', '1||true', { values: { nothing: null } }],
  ['{{join "," (keys (dict "foo" 1 "bar" 2))}}|{{join "," (uniq (keys (dict "foo" 1) (dict "bar" 2) (dict "bar" 3)))}}|{{len (keys (dict))}}', 'bar,foo|bar,foo|0'],
  ['{{join "," (values (dict "a" 1 "b" 2))}}', '1,2'],
  ['{{toJson (pick (dict "one" 1 "two" 222222) "two" "three")}}|{{toJson (omit (dict "one" 1 "two" 222222) "one")}}', '{"two":222222}|{"two":222222}'],
  [
    '{{toJson (merge values.dst values.src1 values.src2)}}',
    '{"a":"one","b":2,"c":3,"d":{"e":"four","f":5},"g":[8,9],"h":10,"i":"eye","j":"jay","k":{"l":true}}',
    { values: { dst: { a: 'one', c: 3, d: { f: 5 }, g: [8, 9], i: 'eye', k: { l: true } }, src1: { a: 1, b: 2, d: { e: 'four' }, g: [6, 7], i: 'aye', j: 'jay', k: { l: false } }, src2: { h: 10, i: 'i', j: 'j' } } },
  ],
  [
    '{{toJson (mergeOverwrite values.dst values.src1 values.src2)}}|{{toJson values.dst}}',
    '{"a":1,"b":2,"c":3,"d":{"e":"four","f":5},"g":[6,7],"h":10,"i":"i","j":"j","k":{"l":false}}|{"a":"one","c":3,"d":{"f":5},"g":[8,9],"i":"eye","k":{"l":true}}',
    { values: { dst: { a: 'one', c: 3, d: { f: 5 }, g: [8, 9], i: 'eye', k: { l: true } }, src1: { a: 1, b: 2, d: { e: 'four' }, g: [6, 7], i: 'aye', j: 'jay', k: { l: false } }, src2: { h: 10, i: 'i', j: 'j' } } },
  ],
  // numbers and types
  ['{{add 1 2 3}}|{{sub 14 3}}|{{mul 1 "2" 3 "4"}}|{{div 5 4}}|{{div -7 2}}|{{mod -7 3}}', '6|11|24|1|-3|-1'],
  ['{{max 1 2 3 345 5 6 7}}|{{min 1 2 3 345 5 6 7}}', '345|1'],
  ['{{int "102"}}|{{int "frankie"}}|{{int true}}|{{int 102.1234}}|{{int "0x1F"}}|{{int "010"}}|{{int "10.0"}}', '102|0|1|102|31|8|10'],
  ['{{float64 "102"}}|{{float64 "frankie"}}|{{float64 "1.5"}}', '102|0|1.5'],
  ['{{atoi "42"}}|{{atoi "1.5"}}|{{atoi "08"}}', '42|0|8'],
  ['{{kindOf "x"}}|{{kindOf 1}}|{{kindOf 1.5}}|{{kindOf (list)}}|{{kindOf (dict)}}|{{kindOf true}}|{{kindOf values.nothing}}', 'string|int|float64|slice|map|bool|invalid', { values: { nothing: null } }],
  ['{{kindIs "map" (dict)}}|{{typeOf "x"}}|{{typeOf (dict)}}|{{typeOf (list)}}|{{typeIs "string" "x"}}', 'true|string|map[string]interface {}|[]interface {}|true'],
  // logic and defaults
  ['{{ternary "foo" "bar" true}}|{{ternary "foo" "bar" false}}', 'foo|bar'],
  ['{{empty 1}}|{{empty 0}}|{{empty ""}}|{{empty false}}|{{empty (list)}}|{{empty (dict)}}|{{empty "0"}}', 'false|true|true|true|true|true|false'],
  ['{{coalesce "" 0 values.nothing 2}}|{{default "foo" ""}}|{{default "foo" 234}}|{{default "foo" 2.34}}', '2|foo|234|2.34', { values: { nothing: null } }],
  // encoding
  ['{{b64enc "coffee"}}|{{b64dec "Y29mZmVl"}}|{{b64dec "a!b="}}', 'Y29mZmVl|coffee|illegal base64 data at input byte 1'],
  ['{{sha1sum "abc"}}', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['{{sha256sum "abc"}}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['{{get (fromYaml "hello: world") "hello"}}|{{len (fromYaml "")}}|{{hasKey (fromYaml "- a") "Error"}}', 'world||true'.replace('||', '|0|')],
  ['{{get (fromJson "{\\"hello\\":\\"world\\"}") "hello"}}|{{hasKey (fromJson "[1]") "Error"}}', 'world|true'],
  ['{{toJson values.m}}', '{"bool":true,"number":42,"string":"\\u003ctest\\u003e"}', { values: { m: { string: '<test>', number: 42, bool: true } } }],
  ['{{toPrettyJson values.m}}', '{\n  "bool": true,\n  "number": 42,\n  "string": "test"\n}', { values: { m: { string: 'test', number: 42, bool: true } } }],
  ['{{semverCompare "1.2.3" "1.2.3"}}|{{semverCompare "^1.2.0" "1.2.3"}}|{{semverCompare "^1.2.0" "2.2.3"}}', 'true|true|false'],
  ['{{semverCompare ">=1.20.0" "v1.28.3-gke.1286000"}}|{{semverCompare ">=1.20.0-0" "v1.28.3-gke.1286000"}}|{{semverCompare "~1.2.3" "1.2.9"}}|{{semverCompare "~1.2.3" "1.3.0"}}', 'false|true|true|false'],
  ['{{semverCompare "1.2 - 1.4.5" "1.4.5"}}|{{semverCompare "1.2.x" "1.2.7"}}|{{semverCompare "<1.0 || >=2.0" "1.5.0"}}|{{semverCompare ">=1.19-0, <1.30-0" "1.25.0"}}', 'true|true|false|true'],
  // tpl, include with parameters, chart files
  ['{{tpl "Value: {{values.value}}" @root}}', 'Value: myvalue', { values: { value: 'myvalue' } }],
  ['{{include "labels" (dict "name" "web" "root" @root)}}', 'app: web\nchart: shop'],
  ['x:{{nindent 2 (include "labels" (dict "name" "web" "root" @root))}}', 'x:\n  app: web\n  chart: shop'],
  ['{{> labels name="web" root=@root}}', 'app: web\nchart: shop'],
  ['{{file "files/app.conf"}}', 'port = 8080\n'],
  ['{{#each (files "files/*.conf")}}{{@key}}={{trim this}};{{/each}}', 'files/app.conf=port = 8080;files/b.conf=b;'],
  ['{{#each (files "files/**")}}{{base @key}};{{/each}}', 'app.conf;b.conf;c.conf;'],
  // Helm's emptiness in if / unless / with
  ['{{#if 0}}y{{else}}n{{/if}}{{#if (dict)}}y{{else}}n{{/if}}{{#if (list)}}y{{else}}n{{/if}}{{#if "0"}}y{{else}}n{{/if}}{{#unless ""}}u{{/unless}}{{#with (dict)}}w{{else}}e{{/with}}', 'nnnyue'],
];

describe('Helm helper library', () => {
  it.each(cases)('%s', (source, expected, context) => {
    expect(render(source, context)).toBe(expected);
  });
});

describe('wrong types and failures: exit 2 naming the helper and the template line', () => {
  it.each([
    ['line 1\n{{upper 5}}', 2, /upper: wrong type for value; expected string; got int/],
    ['{{repeat "3" "x"}}', 1, /repeat: wrong type for value; expected int; got string/],
    ['{{first "abc"}}', 1, /first: cannot first on type string/],
    ['{{ternary "a" "b" "true"}}', 1, /ternary: wrong type for value; expected bool/],
    ['{{div 1 0}}', 1, /div: integer divide by zero/],
    ['{{substr 5 9 "abc"}}', 1, /substr: slice bounds out of range/],
    ['{{regexReplaceAll "(" "x" "y"}}', 1, /regexReplaceAll: regexp: Compile/],
    ['{{semverCompare ">=banana" "1.0.0"}}', 1, /semverCompare: improper constraint/],
    ['\n\n{{fail "something is wrong"}}', 3, /something is wrong/],
    ['{{file "files/missing.conf"}}', 1, /file: the chart has no file "files\/missing.conf"/],
    ['{{trim values.n}}', 1, /trim: wrong type for value; expected string; got int/],
    ['{{concat (list 1) "a"}}', 1, /concat: cannot concat type string as list/],
    ['{{get "x" "k"}}', 1, /get: cannot get on type string/],
  ])('%s', (source, line, message) => {
    let error: unknown;
    try {
      render(source, { values: { n: 5 } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).file).toBe('chart/templates/t.yaml');
    expect((error as TemplateError).line).toBe(line);
    expect((error as TemplateError).message).toMatch(message);
  });

  it('has no clock, randomness, environment or network helpers', () => {
    for (const name of ['now', 'date', 'randAlphaNum', 'uuidv4', 'env', 'expandenv', 'getHostByName', 'lookup', 'genCA', 'shuffle']) {
      expect(() => render(`{{${name} "x"}}`)).toThrow(TemplateError);
    }
  });
});

describe('every typed helper: a wrong type names the helper and line; empty inputs give Sprig\'s results', () => {
  const wrong = (call: string) => {
    try {
      render(`\n{{${call}}}`, { values: { n: 5 } });
    } catch (err) {
      return err as TemplateError;
    }
    throw new Error(`${call} accepted a wrong type`);
  };

  it.each([
    'printf values.n', 'replace "a" "b" values.n', 'trim values.n', 'trimAll "x" values.n', 'trimPrefix "x" values.n', 'trimSuffix "x" values.n',
    'contains "x" values.n', 'hasPrefix "x" values.n', 'hasSuffix "x" values.n', 'upper values.n', 'lower values.n', 'title values.n',
    'repeat 2 values.n', 'substr 0 1 values.n', 'trunc 1 values.n', 'nospace values.n', 'kebabcase values.n', 'snakecase values.n',
    'camelcase values.n', 'indent 2 values.n', 'nindent 2 values.n', 'splitList "," values.n', 'regexMatch "x" values.n',
    'regexReplaceAll "x" values.n "y"', 'b64enc values.n', 'b64dec values.n', 'sha1sum values.n', 'sha256sum values.n', 'fromYaml values.n',
    'fromJson values.n', 'semverCompare "1" values.n', 'tpl values.n @root', 'include values.n @root', 'file values.n', 'files values.n', 'atoi values.n',
    'base values.n', 'kindIs values.n "x"', 'typeIs values.n "x"',
  ])('%s', (call) => {
    const error = wrong(call);
    const helper = call.split(' ')[0]!;
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.line).toBe(2);
    expect(error.message).toMatch(new RegExp(`^${helper}: wrong type for value; expected string; got int`));
  });

  it.each(['first values.n', 'last values.n', 'rest values.n', 'uniq values.n', 'compact values.n', 'has 1 values.n', 'get values.n "k"', 'keys values.n', 'values values.n', 'pick values.n "k"', 'omit values.n "k"', 'merge values.n (dict)', 'mergeOverwrite (dict) values.n', 'len values.n', 'until "x"', 'ternary 1 2 values.n'])(
    '%s',
    (call) => {
      const error = wrong(call);
      expect(error.line).toBe(2);
      expect(error.message.startsWith(`${call.split(' ')[0]}: `)).toBe(true);
    },
  );

  it.each([
    ['{{trim ""}}|{{upper ""}}|{{title ""}}|{{kebabcase ""}}|{{camelcase ""}}|{{nospace ""}}|{{repeat 0 "x"}}|{{substr 0 0 ""}}|{{trunc 5 ""}}', '||||||||'],
    ['{{quote ""}}|{{squote ""}}|{{cat}}|{{print}}|{{printf ""}}|{{join "," (list)}}|{{indent 2 ""}}', `""|''|||||  `],
    ['{{len (uniq (list))}}|{{len (compact (list))}}|{{len (sortAlpha (list))}}|{{len (concat)}}|{{len (rest (list))}}|{{last (list)}}', '0|0|0|0|0|'],
    ['{{len (keys (dict))}}|{{len (values (dict))}}|{{toJson (merge (dict) (dict))}}|{{toJson (pick (dict) "a")}}|{{toJson (dict)}}', '0|0|{}|{}|{}'],
    ['{{add}}|{{mul}}|{{int ""}}|{{float64 ""}}|{{atoi ""}}|{{toJson (list)}}|{{toPrettyJson (dict)}}|{{b64dec ""}}|{{sha256sum ""}}', '0|1|0|0|0|[]|{}||e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('%s', (source, expected) => {
    expect(render(source)).toBe(expected);
  });
});
