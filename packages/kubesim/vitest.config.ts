import { defineConfig } from 'vitest/config';

// `unit`: the pure parts (selectors, patches, field paths, managed fields, pod status).
// `integration`: a kubesim process per file, driven by the real kubectl and client-node; the pull
// tests push to the registry and engine named by KUBESIM_TEST_REGISTRY and DOCKER_HOST.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'kubesim-unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'kubesim-integration', include: ['test/**/*.test.ts'], globalSetup: ['test/engine.ts'], testTimeout: 120_000 } },
    ],
  },
});
