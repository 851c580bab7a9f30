/**
 * What the extension ships as JavaScript, file by file, for the budget "dist/ bundles ≤ 1.5 MiB
 * together, minified" (issue 13): the core bundle, one bundle per provider and the webview's.
 * The figures mean something only after `node scripts/build.mjs --production`: a development
 * build is unminified and carries source maps, which `minified` reports.
 *
 * Run directly (`node --import tsx scripts/bundleSizes.ts`) it prints the table.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const BUNDLE_BUDGET_BYTES = 1.5 * 1024 * 1024;

export interface DistFile {
  /** Relative to the root, with forward slashes: "dist/providers/aws.js". */
  path: string;
  bytes: number;
}

export interface DistSizes {
  /** Every .js file under dist/, by path. */
  files: DistFile[];
  totalBytes: number;
  /** False when a bundle points at a source map: a development build, whose sizes are not the shipped ones. */
  minified: boolean;
}

/** The JavaScript bundles under `<root>/dist`; throws with what to run when there is no build. */
export function distSizes(root: string): DistSizes {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) throw new Error(`${dist} does not exist: run "node scripts/build.mjs --production" first.`);
  const files = javaScriptFiles(dist)
    .map((file) => ({ path: relative(root, file).split(sep).join('/'), bytes: statSync(file).size }))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (files.length === 0) throw new Error(`${dist} holds no .js bundle: run "node scripts/build.mjs --production" first.`);
  const minified = files.every((file) => !readFileSync(join(root, file.path), 'utf8').includes('//# sourceMappingURL='));
  return { files, totalBytes: files.reduce((sum, file) => sum + file.bytes, 0), minified };
}

function javaScriptFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return javaScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.js') ? [path] : [];
  });
}

export function formatDistSizes(sizes: DistSizes): string {
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  const width = Math.max(...sizes.files.map((file) => file.path.length));
  const rows = sizes.files.map((file) => `  ${file.path.padEnd(width)}  ${String(file.bytes).padStart(9)} B  ${kib(file.bytes).padStart(10)}`);
  const verdict = sizes.totalBytes <= BUNDLE_BUDGET_BYTES ? 'holds' : 'exceeds';
  const total = `  ${'total'.padEnd(width)}  ${String(sizes.totalBytes).padStart(9)} B  ${(sizes.totalBytes / 1024 / 1024).toFixed(3)} MiB: ${verdict} the 1.5 MiB budget`;
  const warning = sizes.minified ? [] : ['  (a development build: unminified, with source maps; run "node scripts/build.mjs --production")'];
  return [...rows, total, ...warning].join('\n');
}

if (require.main === module) {
  console.log(formatDistSizes(distSizes(process.cwd())));
}
