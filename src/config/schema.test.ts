import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './schema.js';

describe('schema/slipway.schema.json', () => {
  it('is generated from the zod schema (run `npm run schema` after changing it)', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../../schema/slipway.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('describes the keys of SPEC section 3', () => {
    const schema = configJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(['project']);
    expect(Object.keys(schema.properties)).toEqual(['project', 'repo', 'images', 'deploy']);
  });
});
