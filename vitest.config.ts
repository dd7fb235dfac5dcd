import { defineConfig } from 'vitest/config';

const kinds = ['unit', 'int', 'e2e'] as const;

export default defineConfig({
  test: {
    projects: kinds.map((kind) => ({
      extends: true,
      test: {
        name: kind,
        include: [`src/**/*.${kind}.spec.ts`, `test/**/*.${kind}.spec.ts`],
      },
    })),
    setupFiles: ['test/support/vitest.setup.ts'],
    globalSetup: ['test/support/hazelcast-global-setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
