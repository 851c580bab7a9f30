// The build: a small core bundle for VS Code's Node runtime (dist/extension.js), one bundle per
// provider with its SDK (dist/providers/<kind>.js, loaded on the first deploy or configure that
// needs it), and the monitor webview for the browser (ESM), with the codicons it needs next to it.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { analyzeMetafile, build, context } from 'esbuild';

const production = process.argv.includes('--production');
// --watch (npm run watch, the F5 task): rebuild each bundle when its sources change, until stopped.
const watch = process.argv.includes('--watch');
// --analyze: after the build, print what each bundle is made of (esbuild's metafile analysis).
const analyze = process.argv.includes('--analyze');

/** The lines the VS Code task's problem matcher ($esbuild-watch) waits for: a build began, a build ended. */
const watchReport = {
  name: 'watch-report',
  setup(builder) {
    builder.onStart(() => console.log('[watch] build started'));
    builder.onEnd(() => console.log('[watch] build finished'));
  },
};

/** Each folder src/providers/<kind>/ has a runtime.ts: one provider bundle each. */
const PROVIDER_KINDS = ['aws', 'gcp'];

/** What the extension host's bundles share: CommonJS for VS Code's Node runtime. */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // fetch-blob (under googleapis' gaxios) requires this stream polyfill only when Node lacks
  // node:stream/web, which every VS Code since 1.60 has: 60 KiB of the bundle that never runs.
  external: ['vscode', 'web-streams-polyfill/*'],
  // The AWS SDK's packages name their ES modules in "module" and one pre-bundled CommonJS file per
  // package in "main" (esbuild's default first choice for node). Only the ES modules can be
  // tree-shaken: with "main", every CloudFormation command and bowser (a browser-only user-agent
  // parser) came along. "module" first took dist/providers/aws.js from 971 KB to 745 KB.
  mainFields: ['module', 'main'],
  minify: production,
  sourcemap: !production,
  metafile: true,
  logLevel: 'info',
};

/**
 * The AWS SDK's generated schema modules (`schemas/schemas_0.js`: every shape of a service) write
 * trait keys as computed keys over the module's own string constants, `{ [_hE]: 403 }`. esbuild
 * cannot prove such a key free of side effects, so it keeps every shape, used or not: all of S3's
 * hundred operations for our one PutObject. Writing each key as the literal it names (the same
 * object) lets the unused shapes go: 61 KB less in dist/providers/aws.js. Only a file that is plain
 * data is rewritten: every function in it a `() => Shape` thunk, so no name can be shadowed.
 * Anything else is left as it is.
 */
const SCHEMA_MODULE = /[\\/]node_modules[\\/]@aws-sdk[\\/].+[\\/]dist-es[\\/](.+[\\/])?schemas[\\/]schemas_\d+\.js$/;
function stringValue(literal) {
  try {
    return JSON.parse(literal);
  } catch {
    return undefined;
  }
}
const literalSchemaKeys = {
  name: 'literal-schema-keys',
  setup(builder) {
    builder.onLoad({ filter: SCHEMA_MODULE }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const arrows = source.match(/=>/g)?.length ?? 0;
      const thunks = source.match(/\(\) =>/g)?.length ?? 0;
      if (arrows !== thunks || /\b(function|class|let)\b/.test(source.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return undefined;
      const literals = new Map();
      for (const [, name, literal] of source.matchAll(/^const (_\w+) = ("(?:[^"\\]|\\.)*");$/gm)) literals.set(name, literal);
      const contents = source.replace(/\[(_\w+)\]:/g, (key, name) => {
        const literal = literals.get(name);
        const value = literal === undefined ? undefined : stringValue(literal);
        // `"__proto__": v` would set the prototype where `[k]: v` makes a property.
        return value === undefined || value === '__proto__' ? key : `${literal}:`;
      });
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The package.json of these dependencies is bundled because their code reads its version (the
 * AWS SDK's and googleapis-common's user agents, google-auth-library's, gaxios' error brand). Their
 * code reads `name` and `version` only, so only they are kept, not 2-4 KB each of scripts, files
 * and dependencies. A package joins this list only after reading what its code takes from it.
 */
const VERSION_ONLY_PACKAGE_JSON = /[\\/]node_modules[\\/](@aws-sdk[\\/][^\\/]+|gaxios|google-auth-library|googleapis-common)[\\/]package\.json$/;
const packageNameAndVersion = {
  name: 'package-name-and-version',
  setup(builder) {
    builder.onLoad({ filter: VERSION_ONLY_PACKAGE_JSON }, async (args) => {
      const { name, version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

/**
 * A descriptor's `import('./runtime.js')` becomes `require('./providers/<kind>.js')` at run time,
 * relative to dist/extension.js, instead of pulling the provider's SDK into the core bundle. A
 * plain require (not a native import()) so the provider bundle loads through the same CommonJS
 * loader as the extension, where VS Code provides the `vscode` module. Only the descriptor's
 * import is rewritten: anything else that reaches a runtime module is bundled, and
 * assertCoreIsLight then fails the build.
 */
const providerRuntimesAsExternals = {
  name: 'provider-runtimes-as-externals',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/runtime(\.js)?$/ }, (args) => {
      const match = /[\\/]src[\\/]providers[\\/]([^\\/]+)[\\/]descriptor\.ts$/.exec(args.importer);
      if (!match || !PROVIDER_KINDS.includes(match[1])) return undefined;
      if (args.kind !== 'dynamic-import') throw new Error(`${args.importer}: load the provider runtime with import('./runtime.js'), not a static import.`);
      return { path: match[1], namespace: 'provider-runtime' };
    });
    builder.onLoad({ filter: /.*/, namespace: 'provider-runtime' }, (args) => ({
      contents: `module.exports = require('./providers/${args.path}.js');`,
      loader: 'js',
    }));
    builder.onResolve({ filter: /^\.\/providers\/[^/]+\.js$/, namespace: 'provider-runtime' }, (args) => ({ path: args.path, external: true }));
  },
};

/** What the core bundle must never hold: a provider's SDK or YAML parser, or a provider module beyond its light half. */
const HEAVY_PACKAGE = /(^|\/)node_modules\/(@aws-sdk|@smithy|googleapis|google-auth-library|gaxios|yaml)\//;
const PROVIDER_MODULE = /^src\/providers\/(aws|gcp)\//;
/**
 * A provider's light half, which the core bundle may hold: its descriptor and the small, pure
 * modules the descriptor needs to read and check its settings, recognise its input files, state
 * its stop rules and name what it saves. Listed one by one, so that growing it is a decision.
 */
const LIGHT_PROVIDER_MODULES = new Set([
  'src/providers/aws/descriptor.ts',
  'src/providers/aws/settings.ts',
  'src/providers/aws/settingValues.ts',
  'src/providers/aws/stopRules.ts',
  'src/providers/aws/configure/stackDefaults.ts',
  'src/providers/aws/configure/templateFiles.ts',
  'src/providers/aws/template/stackName.ts',
  'src/providers/aws/template/capabilities.ts',
  'src/providers/aws/template/templateDocument.ts',
  'src/providers/aws/template/excerpt.ts',
  'src/providers/aws/reviewTypes.ts',
  'src/providers/aws/consoleLinks.ts',
  'src/providers/aws/deploymentOptions.ts',
  'src/providers/aws/durationDefaults.ts',
  'src/providers/gcp/descriptor.ts',
  'src/providers/gcp/settings.ts',
  'src/providers/gcp/settingsReader.ts',
  'src/providers/gcp/settingValues.ts',
  'src/providers/gcp/applySettings.ts',
  'src/providers/gcp/reviewTypes.ts',
  'src/providers/gcp/durationDefaults.ts',
  'src/providers/gcp/savedUpgrade.ts',
  'src/providers/gcp/configure/configureGcpFolders.ts',
]);

/** Fails the build when the core bundle took in something heavy, so a stray import cannot slow activation unnoticed. */
function assertCoreIsLight(metafile) {
  const offenders = Object.keys(metafile.inputs)
    .map((input) => input.replace(/\\/g, '/'))
    .filter((input) => HEAVY_PACKAGE.test(input) || (PROVIDER_MODULE.test(input) && !LIGHT_PROVIDER_MODULES.has(input)));
  if (offenders.length === 0) return;
  const shown = offenders.slice(0, 20).map((input) => `  ${input}`);
  if (offenders.length > shown.length) shown.push(`  … and ${offenders.length - shown.length} more`);
  throw new Error(
    `dist/extension.js must load nothing a provider needs; it took in:\n${shown.join('\n')}\nReach provider code only through its descriptor's import('./runtime.js'); a module the descriptor needs that is small and imports no SDK may be added to LIGHT_PROVIDER_MODULES in scripts/build.mjs.`,
  );
}

/** The guard as a plugin, so it runs on every build, in watch mode too. */
const coreIsLight = {
  name: 'core-is-light',
  setup(builder) {
    builder.onEnd((result) => {
      if (result.metafile) assertCoreIsLight(result.metafile);
    });
  },
};

/** One build; with --watch, a build now and on every change, reporting only problems and watchReport's lines. */
async function bundle(options) {
  if (!watch) {
    const result = await build(options);
    if (analyze && result.metafile) console.log(await analyzeMetafile(result.metafile));
    return result;
  }
  const ctx = await context({ ...options, logLevel: 'warning', plugins: [...(options.plugins ?? []), watchReport] });
  await ctx.watch();
}

await bundle({
  ...node,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  plugins: [providerRuntimesAsExternals, coreIsLight, packageNameAndVersion],
});

await bundle({
  ...node,
  entryPoints: Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, `src/providers/${kind}/runtime.ts`])),
  outdir: 'dist/providers',
  plugins: [literalSchemaKeys, packageNameAndVersion],
});

// The webview's localResourceRoots is dist/webview only, so everything it loads lives there.
await bundle({
  entryPoints: ['webview-ui/src/main.ts'],
  outfile: 'dist/webview/main.js',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome120',
  minify: production,
  sourcemap: production ? false : 'inline',
  metafile: true,
  logLevel: 'info',
});
await bundle({
  entryPoints: ['webview-ui/src/main.css'],
  outfile: 'dist/webview/main.css',
  bundle: true,
  minify: production,
  logLevel: 'info',
});
await mkdir('dist/webview', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) {
  await copyFile(`node_modules/@vscode/codicons/dist/${file}`, `dist/webview/${file}`);
}
