// What differs between two builds of one image, said the way diffoscope would: config fields by
// JSON path, and per layer each path with its size, mode, owner, mtime and content hash.
import { contentDigest } from '../content-digest.js';
import { canonicalPath } from './layer-normalize.js';
import { indexTar } from './tar-index.js';

export interface EntrySummary {
  type: string;
  size: number;
  mode: string;
  owner: string;
  mtime: number;
  /** sha256 of a file's content; the target of a link. */
  content: string;
}

export function summarizeLayer(tar: Buffer): Map<string, EntrySummary> {
  const out = new Map<string, EntrySummary>();
  for (const e of indexTar((offset, length) => tar.subarray(offset, offset + length), tar.length)) {
    const data = tar.subarray(e.offset, e.offset + e.size);
    out.set(`/${canonicalPath(e.path)}`, {
      type: e.type,
      size: e.size,
      mode: (e.mode & 0o7777).toString(8).padStart(4, '0'),
      owner: `${e.uid}:${e.gid}`,
      mtime: e.mtime,
      content: e.type === 'file' ? contentDigest(data) : e.linkname ? `-> ${e.linkname}` : '',
    });
  }
  return out;
}

const describe = (s: EntrySummary) => `${s.type} size ${s.size} mode ${s.mode} owner ${s.owner} mtime ${s.mtime}${s.content ? ` ${s.content}` : ''}`;

/** One line per differing path: `path: field registry → rebuilt`. */
export function diffLayer(registry: Map<string, EntrySummary>, rebuilt: Map<string, EntrySummary>): string[] {
  const lines: string[] = [];
  const paths = [...new Set([...registry.keys(), ...rebuilt.keys()])].sort();
  for (const path of paths) {
    const a = registry.get(path);
    const b = rebuilt.get(path);
    if (!a) lines.push(`${path}: only in the rebuild (${describe(b!)})`);
    else if (!b) lines.push(`${path}: only in the registry (${describe(a)})`);
    else {
      const fields = (['type', 'size', 'mode', 'owner', 'mtime', 'content'] as const).filter((f) => a[f] !== b[f]);
      if (fields.length) lines.push(`${path}: ${fields.map((f) => `${f} ${a[f]} → ${b[f]}`).join(', ')}`);
    }
  }
  return lines;
}

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(path, JSON.stringify(value));
    for (const [k, v] of entries) flatten(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, out);
  } else out.set(path, JSON.stringify(value));
}

/** One line per differing config field: `.path: registry → rebuilt`. */
export function diffConfig(registry: unknown, rebuilt: unknown): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(registry, '', a);
  flatten(rebuilt, '', b);
  return [...new Set([...a.keys(), ...b.keys()])]
    .sort()
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => `config ${k}: ${a.get(k) ?? '(absent)'} → ${b.get(k) ?? '(absent)'}`);
}
