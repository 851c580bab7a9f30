// One-file build: bundles the extension host code for VS Code's Node runtime, and the monitor
// webview for the browser (ESM), with the codicons it needs next to it.
import { copyFile, mkdir } from 'node:fs/promises';
import { build } from 'esbuild';

const production = process.argv.includes('--production');

await build({
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
await build({
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
await build({
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
