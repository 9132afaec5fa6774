// Giterminism (SPEC section 4): which working-tree changes touch an input of this run.
import type { DockerIgnore } from './context/dockerignore.js';
import { sourcesReach } from './context/select.js';
import type { SourceRef } from './dockerfile/analyze.js';

export interface ImageInputs {
  /** Repository-relative context directory ('' for the root). */
  contextPrefix: string;
  /** Repository-relative files read whole: the Dockerfile and both candidate ignore files. */
  files: string[];
  ignore: DockerIgnore;
  sources: SourceRef[];
}

export interface InputSet {
  files: string[];
  /** Repository-relative directories all of whose files are inputs (the chart). */
  dirs: string[];
  images: ImageInputs[];
}

export function isInput(path: string, inputs: InputSet): boolean {
  if (inputs.files.includes(path)) return true;
  if (inputs.dirs.some((d) => path.startsWith(d === '' ? '' : `${d}/`))) return true;
  return inputs.images.some((image) => {
    if (image.files.includes(path)) return true;
    const prefix = image.contextPrefix === '' ? '' : `${image.contextPrefix}/`;
    return path.startsWith(prefix) && sourcesReach(path.slice(prefix.length), image.ignore, image.sources);
  });
}

/** Joins repository-relative path segments; '' is the root. */
export function repoJoin(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return '..'; // escapes the repository
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
