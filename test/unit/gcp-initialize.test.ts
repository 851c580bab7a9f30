/** The blueprint initializer's result for good input: manifest, parameters, warnings. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProviderError } from '../../src/providers/provider';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { OAuth2Client } from 'google-auth-library';

const input = { deploymentId: 'd-1', round: 0, target: { provider: 'gcp' as const, name: 'orders', region: 'us-central1' } };

function blueprint(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sw-gcp-init-'));
  writeFileSync(
    join(dir, 'variables.tf'),
    'variable "name" {\n  type = string\n}\n\nvariable "zones" {\n  type    = list(string)\n  default = []\n}\n\nvariable "token" {\n  type      = string\n  sensitive = true\n}\n',
  );
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

describe('createBlueprintInitializer', () => {
  it('returns a folder manifest, the input values as parameters, and a warning for secrets in settings', async () => {
    const folder = blueprint();
    const init = createBlueprintInitializer(settings(folder, { name: 'orders', zones: ['a', 'b'], token: 't0k' }), { displayPath: () => 'infra' });
    const result = await init(input, AbortSignal.timeout(5_000));
    assert.equal(result.template.format, 'folder');
    assert.equal(result.template.path, 'infra');
    assert.match(result.template.body, /^main\.tf\t\d+$/m);
    assert.match(result.template.body, /^variables\.tf\t\d+$/m);
    assert.equal(result.template.sizeBytes, Buffer.byteLength(result.template.body));
    assert.deepEqual(result.parameters, [
      { key: 'name', value: 'orders' },
      { key: 'token', value: 't0k', secret: true },
      { key: 'zones', value: '["a","b"]' },
    ]);
    assert.deepEqual(result.capabilities, []);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? '', /"token" is sensitive/);
  });

  it('asks for the identity last, and passes its error on', async () => {
    const folder = blueprint();
    let asked = 0;
    const failing = createBlueprintInitializer(settings(folder, { name: 'x', token: 't' }), {
      identity: async () => {
        asked++;
        throw new ProviderError('Credentials', 'no ADC');
      },
    });
    await assert.rejects(failing(input, AbortSignal.timeout(5_000)), /no ADC/);
    assert.equal(asked, 1);
    const badInput = createBlueprintInitializer(settings(folder, {}), {
      identity: async () => {
        asked++;
        return { account: 'a', runsAs: 'as a', project: 'p', source: 's' };
      },
    });
    await assert.rejects(badInput(input, AbortSignal.timeout(5_000)), /stackwatch\.gcp\.inputValues/);
    assert.equal(asked, 1, 'bad input is reported without a credentials lookup');
  });

  it('the header names the account it deploys as, or says plainly that an access token gives none', async () => {
    const folder = blueprint();
    const withIdentity = (identity: () => Promise<{ account?: string; runsAs: string; project: string; source: string }>) =>
      createBlueprintInitializer(settings(folder, { name: 'orders', token: 't' }), { identity })(input, AbortSignal.timeout(5_000));
    const known = await withIdentity(async () => ({
      account: 'deployer@p-1.iam.gserviceaccount.com',
      runsAs: 'as deployer@p-1.iam.gserviceaccount.com',
      project: 'p-1',
      source: 'key',
    }));
    assert.equal(known.identity, 'project p-1 · as deployer@p-1.iam.gserviceaccount.com');
    // A bare access token (STACKWATCH_GCP_ACCESS_TOKEN, or the local simulator) names no account.
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 't' });
    const provider = new GcpProvider({ ...settings(folder, {}), endpoint: 'http://127.0.0.1:9/' }, { authClient });
    const token = await withIdentity(() => provider.describeIdentity(AbortSignal.timeout(5_000)));
    assert.equal(token.identity, 'project p-1 · with an access token');
    assert.doesNotMatch(token.identity ?? '', /given access token/);
  });
});
