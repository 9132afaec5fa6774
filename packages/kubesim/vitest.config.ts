import { defineConfig } from 'vitest/config';

// `unit`: the pure parts (selectors, patches, field paths, managed fields, pod status).
// `integration`: a kubesim process per file, driven by the real kubectl and client-node; the pull
// tests use the repository's local stack (registry, Docker engine), brought up by the global setup.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'kubesim-unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'kubesim-integration', include: ['test/**/*.test.ts'], globalSetup: ['test/stack.ts'], testTimeout: 120_000 } },
    ],
  },
});
