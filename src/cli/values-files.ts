// --values files are explicit user input read from the working directory, not from Git. Pipes
// work (`--values <(sops -d secrets.yaml)`); what never ends (`/dev/zero`) stops at a size no
// values file reaches, instead of taking all the machine's memory.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';

export const MAX_VALUES_BYTES = 64 * 1024 * 1024;

export function readValuesFiles(paths: string[], limit = MAX_VALUES_BYTES): Promise<{ path: string; content: string }[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { path, content: await readLimited(path, limit) };
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new InputError(`--values ${path}: cannot read the file`, { cause: err, hint: 'check the path (relative to the current directory)' });
      }
    }),
  );
}

function readLimited(path: string, max: number): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stream = createReadStream(resolve(path));
    stream.on('data', (chunk) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk as Buffer);
      stream.destroy();
      fail(new InputError(`--values ${path}: more than ${max / 1024 / 1024} MB`, { hint: 'a values file is YAML of a few kilobytes; is this the right file?' }));
    });
    stream.on('error', fail);
    stream.on('end', () => done(Buffer.concat(chunks, size).toString('utf8')));
  });
}
