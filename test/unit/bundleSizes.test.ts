import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_BUDGET_BYTES, distSizes, formatDistSizes } from '../../scripts/bundleSizes';

function fakeBuild(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stackwatch-dist-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('distSizes', () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('counts every .js bundle under dist/, nested ones too, and nothing else', () => {
    const root = fakeBuild({
      'dist/extension.js': 'a'.repeat(10),
      'dist/providers/aws.js': 'b'.repeat(300),
      'dist/providers/gcp.js': 'c'.repeat(20),
      'dist/webview/main.js': 'd'.repeat(5),
      'dist/webview/main.css': 'e'.repeat(1000),
      'dist/webview/codicon.ttf': 'f'.repeat(1000),
      'dist/extension.js.map': 'g'.repeat(1000),
      'src/extension.js': 'h'.repeat(1000),
    });
    roots.push(root);
    const sizes = distSizes(root);
    assert.deepEqual(sizes.files, [
      { path: 'dist/extension.js', bytes: 10 },
      { path: 'dist/providers/aws.js', bytes: 300 },
      { path: 'dist/providers/gcp.js', bytes: 20 },
      { path: 'dist/webview/main.js', bytes: 5 },
    ]);
    assert.equal(sizes.totalBytes, 335);
    assert.equal(sizes.minified, true);
    assert.match(formatDistSizes(sizes), /total\s+335 B .* holds the 1\.5 MiB budget/);
  });

  it('says when the build is a development one, whose sizes are not what ships', () => {
    const root = fakeBuild({
      'dist/extension.js': 'x();\n//# sourceMappingURL=extension.js.map\n',
      'dist/webview/main.js': 'y();',
    });
    roots.push(root);
    const sizes = distSizes(root);
    assert.equal(sizes.minified, false);
    assert.match(formatDistSizes(sizes), /development build/);
  });

  it('reports a total over the budget as exceeding it', () => {
    const root = fakeBuild({ 'dist/extension.js': 'z'.repeat(BUNDLE_BUDGET_BYTES + 1) });
    roots.push(root);
    assert.match(formatDistSizes(distSizes(root)), /exceeds the 1\.5 MiB budget/);
  });

  it('tells what to run when there is no build', () => {
    const root = fakeBuild({ 'README.md': '' });
    roots.push(root);
    assert.throws(() => distSizes(root), /scripts\/build\.mjs --production/);
  });
});
