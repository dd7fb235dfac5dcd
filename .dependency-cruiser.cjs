/** Layer rules of the hexagon; `npm test` runs them (npm run lint:layers). */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain imports nothing outside itself: no framework, no I/O, no node built-ins.',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { pathNot: '^src/domain' },
    },
    {
      name: 'application-knows-no-adapters',
      comment: 'Use cases depend on ports, never on adapters, the composition root or frameworks.',
      severity: 'error',
      from: { path: '^src/application' },
      to: { pathNot: '^src/(domain|application)' },
    },
    {
      name: 'adapters-do-not-wire',
      comment: 'Only the composition root knows every adapter set.',
      severity: 'error',
      from: { path: '^src/adapters' },
      to: { path: '^src/(composition|main)' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      comment: 'Each adapter family (memory, hazelcast, http, faulty, system) stands on the ports alone; what two of them share lives in src/adapters/shared.',
      severity: 'error',
      from: { path: '^src/adapters/([^/]+)/' },
      to: { path: '^src/adapters/', pathNot: '^src/adapters/($1|shared)/' },
    },
    {
      name: 'one-composition-root',
      comment:
        'Only src/composition builds the application (ADR 0041): everything else, tests and tools included, gets it from buildContainer and imports its type alone.',
      severity: 'error',
      from: { pathNot: '^src/composition' },
      to: { path: '^src/application/application\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'No module depends on itself through others, in src and in the tests and tools alike.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
