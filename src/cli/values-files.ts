// --values files are explicit user input read from the working directory, not from Git.
import { readFile } from '../adapters/fs-async.js';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';

export function readValuesFiles(paths: string[]): Promise<{ path: string; content: string }[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { path, content: await readFile(resolve(path), 'utf8') };
      } catch (err) {
        throw new InputError(`--values ${path}: cannot read the file`, { cause: err, hint: 'check the path (relative to the current directory)' });
      }
    }),
  );
}
