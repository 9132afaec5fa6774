import { defineConfig } from 'vitest/config';

// slipway's `unit` (src/, pure and fast, no stack) and `integration` (test/, against the real
// Docker engine, registry and kubesim, brought up once by the global setup), and the kubesim
// workspace's two projects (packages/kubesim/vitest.config.ts runs them alone).
export default defineConfig({
  test: {
    exclude: ['node_modules', 'dist', '.stack'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration tests mostly wait on Docker, the registry and kubesim: a few files at once on 2 cores.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/helpers/global-stack.ts'], testTimeout: 120_000 } },
      { extends: true, test: { name: 'kubesim-unit', include: ['packages/kubesim/src/**/*.test.ts'] } },
      { extends: true, test: { name: 'kubesim-integration', include: ['packages/kubesim/test/**/*.test.ts'], globalSetup: ['test/helpers/global-stack.ts', 'packages/kubesim/test/engine.ts'], testTimeout: 120_000 } },
    ],
  },
});
