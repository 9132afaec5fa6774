// Label selectors (equality and set-based) and field selectors, as the apiserver parses them.
import { badRequest } from './status.js';
import type { Obj } from './store.js';

type Requirement = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(text: string | null): (obj: Obj) => boolean {
  if (!text) return () => true;
  const requirements: Requirement[] = splitTopLevel(text).map((part) => {
    const p = part.trim();
    let m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) {
      const values = new Set(m[3]!.split(',').map((v) => v.trim()).filter(Boolean));
      const key = m[1]!;
      return m[2] === 'in' ? (l) => key in l && values.has(l[key]!) : (l) => !(key in l) || !values.has(l[key]!);
    }
    m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(p);
    if (m) {
      const [key, op, value] = [m[1]!, m[2]!, m[3]!];
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    if (/^!\S+$/.test(p)) return (l) => !(p.slice(1) in l);
    if (/^\S+$/.test(p)) return (l) => p in l;
    throw badRequest(`unable to parse requirement: ${p}`);
  });
  return (obj) => requirements.every((r) => r(obj.metadata?.labels ?? {}));
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts;
}

const EVENT_FIELDS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
  'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type',
];
const POD_FIELDS = ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'];

export function parseFieldSelector(text: string | null, kind: string): (obj: Obj) => boolean {
  if (!text) return () => true;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(kind === 'Event' ? EVENT_FIELDS : []), ...(kind === 'Pod' ? POD_FIELDS : []), ...(kind === 'Secret' ? ['type'] : [])]);
  const checks = text.split(',').map((part) => {
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const [field, op, value] = [m[1]!.trim(), m[2]!, m[3]!.trim()];
    if (!allowed.has(field)) throw badRequest(`"${field}" is not a known field selector: only "${[...allowed].join('", "')}"`);
    const read = (obj: Obj) => {
      if (field === 'source') return String(obj.source?.component ?? '');
      const v = field.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), obj);
      return v == null ? '' : String(v);
    };
    return op === '!=' ? (obj: Obj) => read(obj) !== value : (obj: Obj) => read(obj) === value;
  });
  return (obj) => checks.every((c) => c(obj));
}
