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
      to: { pathNot: '^src/(domain|application|support)/' },
    },
    {
      name: 'support-knows-nothing-of-the-service',
      comment: 'src/support holds generic code (a bounded map, a pause that can be woken) that any layer may use; it imports nothing else of src.',
      severity: 'error',
      from: { path: '^src/support/' },
      to: { path: '^src/', pathNot: '^src/support/' },
    },
    {
      name: 'driven-adapters-reach-the-application-through-its-ports',
      comment:
        'A backend adapter (memory, hazelcast, faulty, system) knows of the application only the ports it implements and what they fail with (src/application/ports), never a use case.',
      severity: 'error',
      from: { path: '^src/adapters/(?!http/)' },
      to: { path: '^src/application/', pathNot: '^src/application/ports/' },
    },
    {
      name: 'http-reaches-the-application-through-the-facade',
      comment:
        'The HTTP adapter drives the application through its façade (src/application/application.ts, which exports the answers and refusals of the use cases) and the ports, never a use case module directly.',
      severity: 'error',
      from: { path: '^src/adapters/http/' },
      to: { path: '^src/application/', pathNot: '^src/application/(ports/|application\\.ts$)' },
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
      name: 'the-test-double-serves-only-tests',
      comment:
        'src/adapters/faulty is a test double kept beside the adapters it stands in for (the project shape puts it there, ADR 0048): nothing of the service imports it; tests do.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/adapters/faulty/' },
      to: { path: '^src/adapters/faulty/' },
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
