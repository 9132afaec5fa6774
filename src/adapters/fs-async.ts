// The few asynchronous file calls the hot paths make, over node:fs callbacks. node:fs/promises
// loads a dozen more of Node's modules on first use (FileHandle, watchers, readline: ~2 ms on a
// small machine) for calls that node:fs, loaded with Node itself, makes as well.
import { lstat as lstatCb, readFile as readFileCb, readlink as readlinkCb, stat as statCb, type Stats } from 'node:fs';

const settle =
  <T>(resolve: (value: T) => void, reject: (err: NodeJS.ErrnoException) => void) =>
  (err: NodeJS.ErrnoException | null, value: T) =>
    err ? reject(err) : resolve(value);

export function readFile(path: string): Promise<Buffer>;
export function readFile(path: string, encoding: 'utf8'): Promise<string>;
export function readFile(path: string, encoding?: 'utf8'): Promise<Buffer | string> {
  return new Promise((resolve, reject) => (encoding ? readFileCb(path, encoding, settle(resolve, reject)) : readFileCb(path, settle(resolve, reject))));
}

export const stat = (path: string): Promise<Stats> => new Promise((resolve, reject) => statCb(path, settle(resolve, reject)));
export const lstat = (path: string): Promise<Stats> => new Promise((resolve, reject) => lstatCb(path, settle(resolve, reject)));
export const readlink = (path: string): Promise<string> => new Promise((resolve, reject) => readlinkCb(path, settle(resolve, reject)));
