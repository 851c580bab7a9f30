/**
 * A sensitive variable given a literal value: the initializer warns that Infrastructure Manager
 * keeps it in plain text (deployment, revision, preview) and says how to read it from Secret
 * Manager instead, without ever quoting the value.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';

const input = { deploymentId: 'd-1', round: 0, target: { provider: 'gcp' as const, name: 'orders', region: 'us-central1' } };

function blueprint(variables: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sw-gcp-sensitive-'));
  writeFileSync(join(dir, 'variables.tf'), variables);
  writeFileSync(join(dir, 'main.tf'), 'resource "google_storage_bucket" "b" {\n  name = var.name\n}\n');
  return dir;
}

function settings(folder: string, inputValues: Record<string, unknown>): GcpProviderSettings {
  return {
    project: 'p-1',
    location: 'us-central1',
    deploymentName: 'orders',
    serviceAccount: 'sa@p-1.iam.gserviceaccount.com',
    blueprintFolder: folder,
    inputValues,
    stagingBucket: 'p-1-bp',
  };
}

async function warnings(variables: string, values: Record<string, unknown>): Promise<string[]> {
  const init = createBlueprintInitializer(settings(blueprint(variables), values), { displayPath: (p) => `infra/${p.split('/').pop() ?? p}` });
  return (await init(input, AbortSignal.timeout(5_000))).warnings;
}

describe('sensitive inputs given a literal value', () => {
  it('warns that Infrastructure Manager stores the value in plain text and points to Secret Manager, never quoting it', async () => {
    const found = await warnings('variable "name" {\n  type = string\n}\n\nvariable "db_password" {\n  type      = string\n  sensitive = true\n}\n', {
      name: 'orders',
      db_password: 'hunter2-s3cret',
    });
    assert.equal(found.length, 1);
    const [warning = ''] = found;
    assert.match(warning, /"db_password" is sensitive/);
    assert.match(warning, /stackwatch\.gcp\.inputValues/);
    assert.match(warning, /plain text on the deployment, each revision and each preview/);
    assert.match(warning, /Secret Manager/);
    assert.match(warning, /data "google_secret_manager_secret_version" "db_password"/);
    assert.match(warning, /data\.google_secret_manager_secret_version\.db_password\.secret_data/);
    assert.ok(!warning.includes('hunter2'), 'the value itself is never in the warning');
  });

  it('warns about a literal default of a sensitive variable, naming the file and line', async () => {
    const found = await warnings(
      'variable "name" {\n  type = string\n}\n\nvariable "api_key" {\n  type      = string\n  sensitive = true\n  default   = "k-123456"\n}\n',
      { name: 'orders' },
    );
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /"api_key" is sensitive but has a literal default in (infra\/)?variables\.tf:5:/);
    assert.match(found[0] ?? '', /google_secret_manager_secret_version/);
    assert.ok(!(found[0] ?? '').includes('k-123456'));
  });

  it('says nothing for sensitive variables without a literal value, or values of ordinary variables', async () => {
    const found = await warnings(
      'variable "name" {\n  type = string\n}\n\nvariable "token" {\n  type      = string\n  sensitive = true\n  default   = null\n}\n',
      { name: 'orders' },
    );
    assert.deepEqual(found, []);
  });
});
