// Helm habits in a Handlebars template: when a template fails, say which Go-template construct
// the line (or the file) uses and what slipway writes instead.

const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/\{\{-?\s*\.Values\.([\w.]+)/, (m) => `{{ .Values.${m[1]} }} is Go template syntax: write {{values.${m[1]}}}`],
  [/\{\{-?\s*\.Release\.(Name|Namespace)/, (m) => `{{ .Release.${m[1]} }} is Go template syntax: write {{release.${m[1]!.toLowerCase()}}}`],
  [/\{\{-?\s*\.Chart\.Name/, () => '{{ .Chart.Name }} is Go template syntax: the chart belongs to the project, write {{project}}'],
  [/\{\{-?\s*\.Files\.(Get|Glob)/, (m) => `.Files.${m[1]} is Go template syntax: write ${m[1] === 'Get' ? '{{file "path"}}' : '{{#each (files "glob")}}…{{/each}}'}`],
  [/\{\{-\s|\s-\}\}/, () => '{{- and -}} trim whitespace in Go templates: Handlebars writes {{~ and ~}}'],
  [/\{\{(?![#^/!>~])[^}]*?[\w)"]\s*\|\s*([a-zA-Z]\w*)/, (m) => `pipes are Go template syntax: write {{${m[1]} x}} instead of {{ x | ${m[1]} }} (the piped value goes last)`],
  [/\{\{-?\s*(define|template)\s/, () => 'named templates are partials here: put it in templates/_name.yaml and use {{> name}} or {{include "name" (dict …)}}'],
  [/\{\{-?\s*range\b/, () => '{{ range … }} is Go template syntax: write {{#each list}} … {{/each}} (or {{#each map}} with @key)'],
  [/\{\{-?\s*(if|with)\s/, (m) => `{{ ${m[1]} … }} is Go template syntax: write {{#${m[1]} x}} … {{/${m[1]}}}`],
  [/\{\{-?\s*else if\b/, () => '{{ else if … }} is Go template syntax: write {{else if x}} inside {{#if}} … {{/if}}'],
  [/\{\{-?\s*end\s*-?\}\}/, () => '{{ end }} is Go template syntax: close the block with {{/if}}, {{/each}} or {{/with}}'],
  [/\{\{-?\s*\$\w+\s*:?=/, () => 'template variables are Go syntax: use block parameters, {{#each list as |item|}} or {{#with x as |y|}}'],
];

/** The Handlebars form of the first Go-template construct on `line` (1-based), else anywhere in the file. */
export function goTemplateHint(source: string, line?: number): string | undefined {
  const lines = source.split('\n');
  const candidates = line !== undefined && lines[line - 1] !== undefined ? [lines[line - 1]!, source] : [source];
  for (const text of candidates) {
    for (const [pattern, hint] of RULES) {
      const m = pattern.exec(text);
      if (m) return hint(m);
    }
  }
  return undefined;
}
