/** Which account and project Application Default Credentials give, and where they came from. */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GcpProvider } from '../../src/providers/gcp/gcpProvider';
import { UserRefreshClient, type GoogleAuth } from 'google-auth-library';
import { describeAdcIdentity } from '../../src/providers/gcp/identity';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { useIsolatedAdc } from '../support/isolatedAdc';

const settings: GcpProviderSettings = {
  project: 'settings-project',
  location: 'us-central1',
  deploymentName: 'orders',
  serviceAccount: 'sa@settings-project.iam.gserviceaccount.com',
  blueprintFolder: '/nowhere',
  inputValues: {},
  stagingBucket: 'b',
  endpoint: 'http://127.0.0.1:9/',
};

describe('GcpProvider.describeIdentity', () => {
  // No gcloud on PATH either: the library must not ask a real gcloud for a project.
  const adc = useIsolatedAdc({ withoutPath: true });
  const dir = (): string => adc.home();

  it('a service account key named by GOOGLE_APPLICATION_CREDENTIALS: its email, its project, that variable', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir(), 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'key-project',
        private_key_id: 'abc',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: 'deployer@key-project.iam.gserviceaccount.com',
        client_id: '1',
      }),
    );
    process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    try {
      const identity = await new GcpProvider(settings).describeIdentity(AbortSignal.timeout(10_000));
      assert.deepEqual(identity, {
        account: 'deployer@key-project.iam.gserviceaccount.com',
        runsAs: 'as deployer@key-project.iam.gserviceaccount.com',
        project: 'key-project',
        source: `GOOGLE_APPLICATION_CREDENTIALS (${keyFile})`,
      });
    } finally {
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    }
  });

  it('gcloud user credentials whose email cannot be read (offline here): says so, and names the file', async () => {
    // Where google-auth-library 10 looks: $HOME/.config/gcloud (it does not read CLOUDSDK_CONFIG).
    mkdirSync(join(dir(), '.config', 'gcloud'), { recursive: true });
    const file = join(dir(), '.config', 'gcloud', 'application_default_credentials.json');
    writeFileSync(
      file,
      JSON.stringify({ type: 'authorized_user', client_id: 'id', client_secret: 'secret', refresh_token: 'rt', quota_project_id: 'quota-project' }),
    );
    process.env.GOOGLE_CLOUD_PROJECT = 'env-project';
    try {
      const identity = await new GcpProvider(settings).describeIdentity(AbortSignal.timeout(10_000));
      assert.deepEqual(identity, { runsAs: 'with user credentials (gcloud auth application-default login)', project: 'env-project', source: file });
    } finally {
      delete process.env.GOOGLE_CLOUD_PROJECT;
    }
  });

  it('gcloud user credentials whose token tells the email: names that user', async () => {
    // The library's boundary stands in for Google's token endpoints; the reading of it is ours.
    const client = new UserRefreshClient({ clientId: 'id', clientSecret: 'secret', refreshToken: 'rt' });
    client.getAccessToken = async () => ({ token: 'user-token' });
    client.getTokenInfo = async (token: string) => ({ email: token === 'user-token' ? 'ana@example.com' : undefined, scopes: [], expiry_date: 0, aud: '' });
    const auth = { getClient: async () => client, getProjectId: async () => 'user-project' } as unknown as GoogleAuth;
    const identity = await describeAdcIdentity(auth, 'fallback', AbortSignal.timeout(5_000));
    assert.equal(identity.account, 'ana@example.com');
    assert.equal(identity.runsAs, 'as ana@example.com');
  });
});
