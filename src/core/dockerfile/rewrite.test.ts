import { describe, expect, it } from 'vitest';
import { rewriteImageRefs } from './rewrite.js';

describe('rewriteImageRefs', () => {
  it('swaps slipway image names for references, leaving stages and other images alone', () => {
    const text = 'FROM api AS build\nfrom --platform=linux/amd64 base\nCOPY --from=api /a /a\nCOPY --from=build /b /b\nRUN --mount=type=bind,from=api,target=/x ls\nFROM busybox:stable\n';
    const out = rewriteImageRefs(text, { api: 'r/api:1', base: 'r/base:2' }, new Set(['build']));
    expect(out).toBe('FROM r/api:1 AS build\nfrom --platform=linux/amd64 r/base:2\nCOPY --from=r/api:1 /a /a\nCOPY --from=build /b /b\nRUN --mount=type=bind,from=r/api:1,target=/x ls\nFROM busybox:stable\n');
  });

  it('a stage with an image name wins', () => {
    expect(rewriteImageRefs('FROM x AS api\nCOPY --from=api / /\n', { api: 'r/api:1' }, new Set(['api']))).toBe('FROM x AS api\nCOPY --from=api / /\n');
  });
});
