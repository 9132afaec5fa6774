import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { MAX_VALUES_BYTES, readValuesFiles } from './values-files.js';

describe('--values files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-values-'));

  it('are read whole, up to the limit', async () => {
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n'.repeat(1000));
    const [read] = await readValuesFiles([join(dir, 'a.yaml')], 5000);
    expect(read!.content).toBe('a: 1\n'.repeat(1000));
  });

  it('that never end or are too big are exit 2 at the limit, not all the memory there is', async () => {
    writeFileSync(join(dir, 'big.yaml'), 'a: 1\n'.repeat(1001));
    const big = await readValuesFiles([join(dir, 'big.yaml')], 5000).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(InputError);
    expect((big as InputError).message).toMatch(/big\.yaml: more than/);
    const endless = await readValuesFiles(['/dev/zero'], 1024 * 1024).catch((e: unknown) => e);
    expect(endless).toBeInstanceOf(InputError);
    expect((endless as InputError).exitCode).toBe(2);
    expect(MAX_VALUES_BYTES).toBe(64 * 1024 * 1024);
  });

  it('that cannot be read say so with the path given', async () => {
    const missing = await readValuesFiles([join(dir, 'nope.yaml')]).catch((e: unknown) => e);
    expect((missing as InputError).message).toBe(`--values ${join(dir, 'nope.yaml')}: cannot read the file`);
  });
});
