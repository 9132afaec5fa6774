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
import { stringifyYaml } from '../core/yaml.js';
import type { Issue } from '../errors.js';

export function parseRendered(source: string, text: string): { manifests: Manifest[]; issues: Issue[] } {
  const manifests: Manifest[] = [];
  const issues: Issue[] = [];
  const docs = parseAllDocuments(text, { version: '1.1', uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  let index = 0;
  for (const doc of list) {
    index++;
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const line = text.slice(0, e.pos[0]).split('\n').length;
      issues.push({ file: source, message: `rendered document ${index} is not valid YAML (rendered line ${line}): ${e.message.split('\n')[0]}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      issues.push({ file: source, message: `rendered document ${index}: too many alias expansions (${(err as Error).message.replace(/\.$/, '')})` });
      continue;
    }
    if (value === null || value === undefined) continue; // empty document, e.g. a disabled template
    const checked = validateDocument(source, index, value);
    if ('message' in checked) issues.push(problemIssue(checked));
    else manifests.push(checked);
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
