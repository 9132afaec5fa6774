import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GZIP_LEVEL, GZIP_SCHEME } from './gzip-scheme.js';

describe('GZIP_SCHEME', () => {
  it('names the pako version package.json pins and the level (the layer cache is keyed by it)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    const installed = JSON.parse(readFileSync(new URL('../../../node_modules/pako/package.json', import.meta.url), 'utf8')) as { version: string };
    expect(pkg.dependencies.pako).toBe(installed.version);
    expect(GZIP_SCHEME).toBe(`pako-${installed.version}-level-${GZIP_LEVEL}`);
  });
});
