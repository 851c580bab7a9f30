// One-file build: bundles the extension host code for VS Code's Node runtime, and the monitor
// webview for the browser (ESM), with the codicons it needs next to it.
import { copyFile, mkdir } from 'node:fs/promises';
import { build, context } from 'esbuild';

const production = process.argv.includes('--production');
// --watch (npm run watch, the F5 task): rebuild each bundle when its sources change, until stopped.
const watch = process.argv.includes('--watch');

/** The lines the VS Code task's problem matcher ($esbuild-watch) waits for: a build began, a build ended. */
const watchReport = {
  name: 'watch-report',
  setup(builder) {
    builder.onStart(() => console.log('[watch] build started'));
    builder.onEnd(() => console.log('[watch] build finished'));
  },
};

/** One build; with --watch, a build now and on every change, reporting only problems and watchReport's lines. */
async function bundle(options) {
  if (!watch) return build(options);
  const ctx = await context({ ...options, logLevel: 'warning', plugins: [...(options.plugins ?? []), watchReport] });
  await ctx.watch();
}

await bundle({
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // fetch-blob (under googleapis' gaxios) requires this stream polyfill only when Node lacks
  // node:stream/web, which every VS Code since 1.60 has: 60 KiB of the bundle that never runs.
  external: ['vscode', 'web-streams-polyfill/*'],
  minify: production,
  sourcemap: !production,
  logLevel: 'info',
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
