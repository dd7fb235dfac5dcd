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
    // Suites start members and service processes on a 2-core machine: one file at a time keeps
    // them from starving each other, and a slow machine gets time before a test counts as stuck.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
