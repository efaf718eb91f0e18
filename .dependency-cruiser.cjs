// Which part of the ledger may depend on which (npm run deps, part of npm test). Data flows one way:
// command -> decide -> events -> append -> projections -> queries; dependencies point the same way,
// towards the catalogue. Type-only imports count: a type is a dependency too.
//
//   events/          the catalogue and the envelope: depends on nothing of ours
//   src/domain/      the pure core: the catalogue only (and src/errors.ts, see below)
//   projections/     read models: the domain and the catalogue
//   src/store/       the event store: the envelope (events/envelope.ts) only
//   src/app/         wiring: command handling, the projection runner, snapshots, queries
//   src/http/, src/cli/, src/web/   the doors: src/app (and the catalogue and domain types they show),
//                    never each other, never the store, projections, keys or demo directly
//   bench/, scripts/, tests/   outside the product: nothing in it imports them
//
// src/errors.ts is the one module every layer may import: errors are values with stable codes that the
// domain raises (a refusal), the store raises (a conflict) and the API maps to statuses in one place. It
// depends on nothing of ours but the catalogue's validation error, which it maps.

const product = '^(src|events|projections)/';
const ERRORS = '^src/errors[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle means two modules cannot be read (or changed) one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'events-depend-on-nothing-of-ours',
      severity: 'error',
      comment: 'The catalogue is the bottom of the ledger: everything reads it, it reads nothing.',
      from: { path: '^events/' },
      to: { path: '^(src|projections|bench|scripts|tests)/' },
    },
    {
      name: 'domain-depends-on-events-only',
      severity: 'error',
      comment:
        'The pure core (decide, evolve, rules) knows the catalogue and its own errors, no I/O or wiring.',
      from: { path: '^src/domain/' },
      to: { path: '^(src|projections|bench|tests)/', pathNot: ['^src/domain/', ERRORS] },
    },
    {
      name: 'projections-depend-on-domain-and-events',
      severity: 'error',
      comment: 'A read model folds events with the domain; it knows nothing of stores, wiring or doors.',
      from: { path: '^projections/' },
      to: { path: '^(src|bench|tests)/', pathNot: ['^src/domain/', ERRORS] },
    },
    {
      name: 'store-depends-on-the-envelope',
      severity: 'error',
      comment:
        'The store keeps envelopes; what is inside them (the catalogue, the domain) is not its business.',
      from: { path: '^src/store/' },
      to: {
        path: '^(src|events|projections|bench|tests)/',
        pathNot: ['^src/store/', '^events/envelope[.]ts$', ERRORS],
      },
    },
    {
      name: 'errors-depend-on-nothing-of-ours',
      severity: 'error',
      comment: 'Every layer imports src/errors.ts, so it may import nothing but the catalogue error it maps.',
      from: { path: ERRORS },
      to: { path: '^(src|events|projections|bench|tests)/', pathNot: '^events/validation[.]ts$' },
    },
    {
      name: 'app-does-not-know-its-doors',
      severity: 'error',
      comment: 'The API, the command line and the web pages use src/app; src/app uses none of them.',
      from: { path: '^src/app/' },
      to: { path: '^src/(http|cli|web)/|^src/(server|main)[.]ts$' },
    },
    {
      name: 'doors-go-through-the-app',
      severity: 'error',
      comment:
        'The API, the command line and the web pages reach the store, projections, keys and demo only through src/app.',
      from: { path: '^src/(http|cli|web)/' },
      to: { path: '^(projections/|src/(store|privacy|demo)/)' },
    },
    {
      name: 'http-is-not-cli-or-web',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(cli|web)/' },
    },
    {
      name: 'cli-is-not-http-or-web',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(http|web)/' },
    },
    {
      name: 'web-is-not-http-or-cli',
      severity: 'error',
      from: { path: '^src/web/' },
      to: { path: '^src/(http|cli)/' },
    },
    {
      name: 'product-does-not-import-bench-or-tests',
      severity: 'error',
      comment: 'The benchmark, the scripts and the tests use the product, never the other way round.',
      from: { path: product },
      to: { path: '^(bench|scripts|tests)/' },
    },
    {
      name: 'the-pure-core-does-no-io',
      severity: 'error',
      comment:
        'The catalogue, the domain and the read models take time, ids and data as inputs: no disk, network, process or thread.',
      from: { path: '^(events|src/domain|projections)/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|path|url|os|v8|child_process|cluster|net|http|https|http2|dgram|dns|tls|worker_threads|process)$',
      },
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|tests/artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
