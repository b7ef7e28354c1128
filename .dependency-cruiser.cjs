/** Architecture rules, checked by `npm run lint`. See README "Architecture". */
const sdk = '^(telegraf|discord\\.js|@discordjs|botbuilder|botframework-)';
module.exports = {
  forbidden: [
    {
      name: 'core-without-channel-sdks',
      comment: 'src/ and dialogs/ speak neutral messages; only adapters/ may import a channel SDK.',
      severity: 'error',
      from: { path: '^(src|dialogs)/' },
      to: {
        path: sdk,
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
      },
    },
    {
      name: 'database-drivers-only-in-storage',
      comment:
        'Everything else reaches storage through the ports in src/storage/ports.ts; only the backends ' +
        'in src/storage/ (and the benchmark, which measures them) know mongoose or better-sqlite3.',
      severity: 'error',
      from: { path: '^(src|dialogs|adapters)/', pathNot: '^src/storage/(mongo|sqlite)/' },
      to: { path: '^(mongoose|mongodb|better-sqlite3)$|node_modules/(mongoose|mongodb|better-sqlite3)/' },
    },
    {
      name: 'no-adapter-from-core',
      comment: 'The engine must not know which channels exist.',
      severity: 'error',
      from: { path: '^(src/(core|engine|privacy|storage|crypto)|dialogs)/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included: each module can be read after the ones it uses.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (entry points and declaration files aside).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '^src/(main|cli/privacy|cli/keys)\\.ts$',
          '^adapters/discord/register-commands\\.ts$',
          '^adapters/teams/package-app\\.ts$',
          '^bench/(run|export-erase)\\.ts$',
        ],
      },
      to: {},
    },
    {
      name: 'no-test-code-in-product',
      comment: 'Nothing outside test/ imports from test/: the product and the benchmark stand alone.',
      severity: 'error',
      from: { path: '^(src|adapters|dialogs|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
