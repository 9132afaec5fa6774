// Rendered template text -> validated, finalised manifests and the byte-stable output stream.
import { parseAllDocuments } from 'yaml';
import {
  applyOrder,
  finalizeManifests,
  findDuplicates,
  validateDocument,
  type Manifest,
  type ManifestProblem,
} from '../core/manifests.js';
import { readYamlDocuments, stringifyYaml } from '../core/yaml.js';
import { KUBERNETES_TAGS } from '../core/yaml-tags.js';
import type { Issue } from '../errors.js';

/** The rendered lines around `line` (1-based), and the template line they most likely came from. */
export function renderedContext(text: string, line: number, templateSource?: string): string {
  const lines = text.split('\n');
  const shown: string[] = [];
  for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 1); n++) shown.push(`${n === line ? '>' : ' '}${String(n).padStart(5)} | ${lines[n - 1]}`);
  // YAML often reports the line after the culprit (an unclosed bracket): look back past blank lines.
  let probe = line;
  while (probe > 1 && (lines[probe - 1] ?? '').trim() === '') probe--;
  const origin = templateSource === undefined ? undefined : templateLineOf(lines[probe - 1] ?? '', templateSource);
  return `${origin ? ` (from template line ${origin})` : ''}:\n${shown.join('\n')}`;
}

/** The template line whose literal text best explains a rendered line: its text before the first {{, or the whole line. */
function templateLineOf(rendered: string, source: string): number | undefined {
  let best: { line: number; length: number } | undefined;
  source.split('\n').forEach((templateLine, i) => {
    const literal = templateLine.split(/\{\{/)[0]!;
    const exact = rendered.trim() !== '' && !templateLine.includes('{{') && templateLine === rendered;
    const length = exact ? Infinity : literal.trim() !== '' && rendered.startsWith(literal) ? literal.length : 0;
    if (length > 0 && (!best || length > best.length)) best = { line: i + 1, length };
  });
  return best?.line;
}

export function parseRendered(source: string, text: string, templateSource?: string): { manifests: Manifest[]; issues: Issue[] } {
  const manifests: Manifest[] = [];
  const issues: Issue[] = [];
  const add = (index: number, value: unknown) => {
    if (value === null || value === undefined) return; // empty document, e.g. a disabled template
    const checked = validateDocument(source, index, value);
    if ('message' in checked) issues.push(problemIssue(checked));
    else manifests.push(checked);
  };
  // The usual rendered YAML without the library's document model; anything else (errors too) with it.
  const plain = readYamlDocuments(text);
  if (plain) {
    plain.forEach((value, n) => add(n + 1, value));
    return { manifests, issues };
  }
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true, ...KUBERNETES_TAGS });
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const doc of list) {
    index++;
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const line = text.slice(0, e.pos[0]).split('\n').length;
      issues.push({ file: source, message: `rendered document ${index} is not valid YAML at rendered line ${line}: ${e.message.split('\n')[0]!.replace(/:$/, '')}${renderedContext(text, line, templateSource)}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      issues.push({ file: source, message: `rendered document ${index}: too many alias expansions (${(err as Error).message.replace(/\.$/, '')})` });
      continue;
    }
    add(index, value);
  }
  return { manifests, issues };
}

export function problemIssue(p: ManifestProblem): Issue {
  return { file: p.source, message: `document ${p.index} ${p.message}` };
}

export function assembleManifests(manifests: Manifest[], release: { name: string; namespace: string }): { manifests: Manifest[]; issues: Issue[] } {
  const finalized = finalizeManifests(manifests, release);
  const issues = findDuplicates(finalized).map(problemIssue);
  return { manifests: applyOrder(finalized), issues };
}

export function manifestsToYaml(manifests: Manifest[]): string {
  return manifests.map((m) => `---\n# Source: ${m.source}\n${stringifyYaml(m.object)}`).join('');
}
