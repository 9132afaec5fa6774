// A chart as files of the source snapshot: values.yaml, values.<env>.yaml, templates/ (partials `_*`).
import { parseLocatedYaml } from '../config/located-yaml.js';
import { cloneValues, findForbiddenKey, isPlainObject, type Values } from '../core/values.js';
import type { Issue } from '../errors.js';
import type { TemplateFile } from './template-runtime.js';

export interface ChartFiles {
  /** Display path of the chart dir, e.g. `deploy`. */
  dir: string;
  /** Display path -> content, for every file below the chart dir. */
  files: Map<string, string>;
}

export interface Chart {
  values: Values[];
  templates: TemplateFile[];
  partials: TemplateFile[];
  /** Files for `file`/`files`: everything outside templates/ but the values files (chart-relative paths). */
  files: Map<string, string>;
}

const TEMPLATE = /\.(ya?ml|tpl)$/;

export function loadChart(
  chart: ChartFiles,
  env: string | undefined,
): { chart?: Chart; issues: Issue[]; unknownEnv?: { file: string; known: string[] } } {
  const issues: Issue[] = [];
  if (env !== undefined && !chart.files.has(`${chart.dir}/values.${env}.yaml`)) {
    const prefix = `${chart.dir}/values.`;
    const known = [...chart.files.keys()]
      .filter((p) => p.startsWith(prefix) && p.endsWith('.yaml') && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length, -'.yaml'.length))
      .filter((e) => e !== '')
      .sort();
    return { issues: [], unknownEnv: { file: `${chart.dir}/values.${env}.yaml`, known } };
  }
  const values: Values[] = [];
  for (const name of ['values.yaml', ...(env ? [`values.${env}.yaml`] : [])]) {
    const path = `${chart.dir}/${name}`;
    const text = chart.files.get(path);
    if (text === undefined) continue;
    const parsed = parseValues(text, path);
    issues.push(...parsed.issues);
    if (parsed.values) values.push(parsed.values);
  }
  const templates: TemplateFile[] = [];
  const partials: TemplateFile[] = [];
  const prefix = `${chart.dir}/templates/`;
  for (const [path, source] of [...chart.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!path.startsWith(prefix) || !TEMPLATE.test(path)) continue;
    const file = { path, source };
    if (path.split('/').at(-1)!.startsWith('_')) partials.push(file);
    else if (!path.endsWith('.tpl')) templates.push(file);
  }
  const files = new Map<string, string>();
  for (const [path, content] of chart.files) {
    const relative = path.slice(chart.dir.length + 1);
    if (!path.startsWith(`${chart.dir}/`) || relative.startsWith('templates/') || /^values(\.[^/]+)?\.yaml$/.test(relative)) continue;
    files.set(relative, content);
  }
  return issues.length ? { issues } : { chart: { values, templates, partials, files }, issues };
}

/** A values file: a YAML mapping (or empty). Errors located as file:line:col. */
export function parseValues(text: string, file: string): { values?: Values; issues: Issue[] } {
  const yaml = parseLocatedYaml(text, file);
  if (yaml.errors.length) return { issues: yaml.errors };
  if (yaml.value === null || yaml.value === undefined) return { values: {}, issues: [] };
  if (!isPlainObject(yaml.value)) return { issues: [{ file, line: 1, column: 1, message: 'values must be a mapping' }] };
  const forbidden = findForbiddenKey(yaml.value);
  if (forbidden) return { issues: [{ file, path: forbidden, message: `"${forbidden.split('.').at(-1)}" is not allowed as a key (it would reach an object prototype)` }] };
  return { values: cloneValues(yaml.value), issues: [] };
}
