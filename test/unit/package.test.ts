/**
 * The VSIX as the Marketplace and Open VSX take it: the manifest fields their pages need, and the
 * files `vsce ls --no-dependencies` would package (vsce's own listFiles, which `vsce package`
 * uses), held against an allowlist both ways: nothing outside it ships, and everything the
 * extension loads at run time does.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { PackageManager, listFiles } from '@vscode/vsce';
import { pngSize } from '../../scripts/pngSize';
import { resolvedManifest } from '../support/manifest';

const ROOT = join(__dirname, '../..');

interface Manifest {
  main?: string;
  icon?: string;
  repository?: { type?: string; url?: string } | string;
  bugs?: { url?: string };
  homepage?: string;
  keywords?: string[];
  categories?: string[];
  galleryBanner?: { color?: string; theme?: string };
  pricing?: string;
  scripts: Record<string, string>;
  contributes: { walkthroughs?: { steps: { media: { image?: string; markdown?: string; svg?: string } }[] }[] };
}

const manifest = resolvedManifest<Manifest>();

/** VS Code 1.100's EXTENSION_CATEGORIES (src/vs/platform/extensions/common/extensions.ts): the Marketplace's categories. */
const MARKETPLACE_CATEGORIES = [
  'AI',
  'Azure',
  'Chat',
  'Data Science',
  'Debuggers',
  'Extension Packs',
  'Education',
  'Formatters',
  'Keymaps',
  'Language Packs',
  'Linters',
  'Machine Learning',
  'Notebooks',
  'Programming Languages',
  'SCM Providers',
  'Snippets',
  'Testing',
  'Themes',
  'Visualization',
  'Other',
];

/** What may ship. A new kind of file joins the package only by being added here and to .vscodeignore. */
const ALLOWED: RegExp[] = [
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/extension\.js$/,
  /^dist\/providers\/[a-z]+\.js$/,
  /^dist\/webview\/(main\.js|main\.css|codicon\.css|codicon\.ttf)$/,
  /^media\/icon\.png$/,
  /^media\/readme\/[\w-]+\.png$/,
  /^media\/walkthrough\/[\w-]+(\.nls\.[\w-]+)?\.(md|png)$/,
];

/** Each folder src/providers/<kind>/ with a runtime.ts is bundled to dist/providers/<kind>.js (scripts/build.mjs). */
const providerKinds = readdirSync(join(ROOT, 'src/providers'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'src/providers', entry.name, 'runtime.ts')))
  .map((entry) => entry.name);

/** What scripts/build.mjs writes (a development build adds the source maps), and what of it the extension loads. */
const BUILD_OUTPUTS = [
  'dist/extension.js',
  'dist/extension.js.map',
  ...providerKinds.flatMap((kind) => [`dist/providers/${kind}.js`, `dist/providers/${kind}.js.map`]),
  'dist/webview/main.js',
  'dist/webview/main.css',
  'dist/webview/codicon.css',
  'dist/webview/codicon.ttf',
];
const LOADED_AT_RUN_TIME = BUILD_OUTPUTS.filter((file) => !file.endsWith('.map'));

function packaged(cwd: string): Promise<string[]> {
  return listFiles({ cwd, packageManager: PackageManager.None });
}

/** Images the README names by a relative path: the package script keeps them relative, so they ship. */
function readmeImages(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((src) => !/^[a-z]+:/i.test(src));
}

function walkthroughMedia(): string[] {
  return (manifest.contributes.walkthroughs ?? []).flatMap((w) =>
    w.steps.flatMap((step) => [step.media.image, step.media.markdown, step.media.svg].filter((file): file is string => file !== undefined)),
  );
}

describe('package: the manifest the Marketplace and Open VSX show', () => {
  it('has a 128×128 PNG icon', () => {
    assert.ok(manifest.icon, 'package.json has no "icon"');
    assert.match(manifest.icon, /\.png$/, 'the Marketplace takes a PNG icon, not an SVG');
    const file = join(ROOT, manifest.icon);
    assert.ok(existsSync(file), `${manifest.icon} does not exist (node --import tsx scripts/renderIcon.ts makes it)`);
    assert.deepEqual(pngSize(readFileSync(file)), { width: 128, height: 128 }, `${manifest.icon} is not 128×128`);
  });

  it('names its repository, issue tracker and home page', () => {
    const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
    assert.match(repository ?? '', /^https:\/\//, 'package.json has no "repository" URL');
    assert.match(manifest.bugs?.url ?? '', /^https:\/\//, 'package.json has no "bugs" URL');
    assert.match(manifest.homepage ?? '', /^https:\/\//, 'package.json has no "homepage"');
    assert.doesNotMatch(manifest.scripts.package ?? '', /--allow-missing-repository/, 'the package script need not allow a missing repository any more');
  });

  it('has keywords (at most 30) and Marketplace categories other than only "Other"', () => {
    const keywords = manifest.keywords ?? [];
    assert.ok(keywords.length > 0, 'package.json has no "keywords"');
    assert.ok(keywords.length <= 30, `${keywords.length} keywords; the Marketplace takes at most 30`);
    assert.equal(new Set(keywords).size, keywords.length, 'a keyword is listed twice');
    const categories = manifest.categories ?? [];
    assert.deepEqual(
      categories.filter((c) => !MARKETPLACE_CATEGORIES.includes(c)),
      [],
      'categories the Marketplace does not know',
    );
    assert.ok(
      categories.some((c) => c !== 'Other'),
      `categories are only ${JSON.stringify(categories)}`,
    );
  });

  it('has a gallery banner and a price', () => {
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i, 'package.json has no galleryBanner.color');
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''), 'galleryBanner.theme is "dark" or "light"');
    assert.equal(manifest.pricing, 'Free');
  });

  it('has a README, a CHANGELOG and a LICENSE', () => {
    for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(existsSync(join(ROOT, file)), `${file} is missing`);
    assert.match(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), /^## \[0\.1\.0\]/m, 'CHANGELOG.md has no entry for 0.1.0');
  });
});

describe('package: the files vsce packages', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('packages from this checkout only files on the allowlist', async () => {
    const files = await packaged(ROOT);
    assert.deepEqual(
      files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file))),
      [],
      'vsce would package these files outside the allowlist (test/unit/package.test.ts); exclude them in .vscodeignore',
    );
  });

  it('packages the manifest and its texts, the string bundle, README, CHANGELOG, LICENSE, icon, README images and walkthrough media', async () => {
    const files = await packaged(ROOT);
    const needed = [
      'package.json',
      'package.nls.json',
      'l10n/bundle.l10n.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      manifest.icon ?? 'the icon',
      ...readmeImages(),
      ...walkthroughMedia(),
    ];
    assert.deepEqual(
      needed.filter((file) => !files.includes(file)),
      [],
      'needed but not packaged',
    );
  });

  it('packages every bundle the extension loads from a built checkout, and no source map', async () => {
    // A checkout need not be built when the unit tests run, so the build's outputs are laid out
    // (empty) beside the real manifest and .vscodeignore, and vsce lists that.
    const root = mkdtempSync(join(tmpdir(), 'stackwatch-package-'));
    roots.push(root);
    const built = existsSync(join(ROOT, 'dist')) ? readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true }) : [];
    const realOutputs = built.filter((entry) => entry.isFile()).map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).replace(/\\/g, '/'));
    for (const file of ['package.json', '.vscodeignore', 'README.md', ...BUILD_OUTPUTS, ...realOutputs]) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), existsSync(join(ROOT, file)) && !file.startsWith('dist/') ? readFileSync(join(ROOT, file)) : '');
    }
    const files = await packaged(root);
    assert.equal(manifest.main, './dist/extension.js');
    assert.deepEqual(
      LOADED_AT_RUN_TIME.filter((file) => !files.includes(file)),
      [],
      'the extension loads these at run time but .vscodeignore leaves them out',
    );
    assert.deepEqual(
      files.filter((file) => file.startsWith('dist/') && !LOADED_AT_RUN_TIME.includes(file)),
      [],
      'build outputs the extension does not load',
    );
  });
});
