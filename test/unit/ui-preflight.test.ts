import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { changedSince } from '../../src/preflight/changedSince';
import { touchesDeployment } from '../../src/preflight/relevance';

const ws = '/ws/project';
const files = { templatePath: `${ws}/infra/template.yaml`, parametersFile: `${ws}/params/prod.json` };

describe('files that touch a deployment', () => {
  it('counts the template, the parameters file and code under the template folder', () => {
    assert.ok(touchesDeployment(`${ws}/infra/template.yaml`, files));
    assert.ok(touchesDeployment(`${ws}/params/prod.json`, files));
    assert.ok(touchesDeployment(`${ws}/infra/src/handler.ts`, files));
  });

  it('ignores other folders, dependencies and configuration', () => {
    assert.ok(!touchesDeployment(`${ws}/docs/notes.md`, files));
    assert.ok(!touchesDeployment(`${ws}/infra/node_modules/x/index.js`, files));
    assert.ok(!touchesDeployment(`${ws}/infra/.vscode/settings.json`, files));
    assert.ok(!touchesDeployment(`${ws}/infrastructure/template.yaml`, files));
  });
});

describe('changed since the last build', () => {
  function tree(): string {
    const root = mkdtempSync(join(tmpdir(), 'sw-scan-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'src', 'a.ts'), 'a');
    writeFileSync(join(root, 'node_modules', 'dep.js'), 'd');
    const old = new Date('2026-01-01T00:00:00Z');
    for (const f of ['src/a.ts', 'node_modules/dep.js']) utimesSync(join(root, f), old, old);
    return root;
  }
  const since = Date.parse('2026-06-01T00:00:00Z');

  it('reports no change when every input is older', async () => {
    assert.deepEqual(await changedSince(tree(), since), { changed: false, truncated: false });
  });

  it('finds a newer source file', async () => {
    const root = tree();
    writeFileSync(join(root, 'src', 'b.ts'), 'b');
    const scan = await changedSince(root, since);
    assert.equal(scan.changed, true);
    assert.equal(scan.file, join(root, 'src', 'b.ts'));
  });

  it('ignores node_modules and .vscode (a settings-only change needs no build)', async () => {
    const root = tree();
    writeFileSync(join(root, 'node_modules', 'new.js'), 'n');
    mkdirSync(join(root, '.vscode'));
    writeFileSync(join(root, '.vscode', 'settings.json'), '{}');
    assert.equal((await changedSince(root, since)).changed, false);
  });

  it('assumes a change when the tree is larger than the bound', async () => {
    const scan = await changedSince(tree(), since, 1);
    assert.deepEqual(scan, { changed: true, truncated: true });
  });
});
