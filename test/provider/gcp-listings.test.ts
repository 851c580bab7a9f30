/**
 * The configure flow's listings over real HTTP: Infrastructure Manager locations through the
 * googleapis config client, IAM service accounts and Cloud Storage buckets as plain authorized
 * GETs, all against im-sim. And every way a listing fails turns the step into typing the value,
 * with the reason, through the real flow.
 */
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { GoogleAuth } from 'google-auth-library';
import { configureGcp } from '../../src/providers/gcp/configure/configureGcpFlow';
import { gcpSources } from '../../src/providers/gcp/configure/configureGcpSources';
import { createListingClient } from '../../src/providers/gcp/listingClient';
import { projectHints } from '../../src/providers/gcp/projectHints';
import { ProviderError } from '../../src/providers/provider';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { useIsolatedAdc } from '../support/isolatedAdc';
import { ESC, MemorySettings, ScriptedPrompter } from '../support/scriptedPrompter';

const PROJECT = 'orders-prod';
const signal = (): AbortSignal => new AbortController().signal;

async function rejection(work: Promise<unknown>): Promise<ProviderError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the listing to fail');
}

describe('GCP listings for Configure, against im-sim', () => {
  let sim: ImSim;
  const accounts = Array.from({ length: 130 }, (_, i) => ({
    email: `sa-${String(i).padStart(3, '0')}@${PROJECT}.iam.gserviceaccount.com`,
    displayName: `Account ${i}`,
    disabled: i === 7,
  }));

  before(async () => {
    sim = await startImSim({
      speed: 0,
      projects: {
        [PROJECT]: {
          serviceAccounts: accounts,
          buckets: [
            { name: 'zeta-bucket', location: 'EU' },
            { name: 'alpha-bucket', location: 'US-CENTRAL1' },
          ],
        },
        'no-iam': { disabledApis: ['iam'], buckets: [{ name: 'no-iam-bucket' }] },
        'no-apis': { disabledApis: ['config', 'iam', 'storage'] },
      },
    });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  const client = () => createListingClient({ endpoint: sim.rootUrl, accessToken: sim.token });

  it('locations: config API projects.locations.list through googleapis, with their names', async () => {
    const locations = await client().listings.locations(PROJECT, signal());
    assert.ok(locations.some((l) => l.id === 'us-central1' && l.displayName === 'Iowa'));
    assert.ok(locations.some((l) => l.id === 'europe-west1'));
    assert.deepEqual(
      sim.requests().map((r) => `${r.method} ${r.path}`),
      [`GET /v1/projects/${PROJECT}/locations`],
    );
  });

  it('service accounts: IAM serviceAccounts.list, every page, disabled ones flagged', async () => {
    const listed = await client().listings.serviceAccounts(PROJECT, signal());
    assert.equal(listed.length, 130);
    assert.deepEqual(listed[7], { email: `sa-007@${PROJECT}.iam.gserviceaccount.com`, displayName: 'Account 7', disabled: true });
    assert.equal(listed[8]?.disabled, false);
    const requests = sim.requests();
    // At most 100 per page (the IAM maximum): two pages.
    assert.deepEqual(
      requests.map((r) => [r.path, r.query['pageSize'], Boolean(r.query['pageToken'])]),
      [
        [`/v1/projects/${PROJECT}/serviceAccounts`, '100', false],
        [`/v1/projects/${PROJECT}/serviceAccounts`, '100', true],
      ],
    );
  });

  it('buckets: Cloud Storage buckets.list with project=P, by name, with their locations', async () => {
    const listed = await client().listings.buckets(PROJECT, signal());
    assert.deepEqual(listed, [
      { name: 'alpha-bucket', location: 'US-CENTRAL1' },
      { name: 'zeta-bucket', location: 'EU' },
    ]);
    assert.deepEqual(
      sim.requests().map((r) => [r.path, r.query['project']]),
      [['/storage/v1/b', PROJECT]],
    );
  });

  it('an API not enabled in the project: SERVICE_DISABLED, saying which API to enable', async () => {
    const error = await rejection(client().listings.serviceAccounts('no-iam', signal()));
    assert.equal(error.code, 'Credentials');
    assert.equal(error.details.providerCode, 'SERVICE_DISABLED');
    assert.equal(error.message, 'Listing the service accounts of project no-iam: iam.googleapis.com is not enabled in project no-iam.');
    assert.match(error.details.hint ?? '', /gcloud services enable iam\.googleapis\.com --project no-iam/);
  });

  it('a project you cannot see: 403, naming the list permission', async () => {
    const error = await rejection(client().listings.buckets('someone-elses', signal()));
    assert.equal(error.code, 'Credentials');
    assert.match(error.details.hint ?? '', /storage\.buckets\.list/);
  });

  it('wrong credentials: 401, Credentials', async () => {
    const wrong = createListingClient({ endpoint: sim.rootUrl, accessToken: 'not-the-token' });
    const error = await rejection(wrong.listings.locations(PROJECT, signal()));
    assert.equal(error.code, 'Credentials');
  });

  it('the service unavailable: Transient, and one try only (the person types instead of waiting)', async () => {
    sim.inject({ kind: 'unavailable', pathIncludes: '/locations', times: 5 });
    const error = await rejection(client().listings.locations(PROJECT, signal()));
    assert.equal(error.code, 'Transient');
    assert.equal(sim.requests().length, 1);
  });

  it('a non-loopback endpoint without a token: refused before anything is sent', async () => {
    const far = createListingClient({ endpoint: 'http://10.255.255.1:8085/' });
    const error = await rejection(far.listings.buckets(PROJECT, signal()));
    assert.equal(error.details.providerCode, 'ENDPOINT_NOT_LOOPBACK');
    assert.equal(far.adc, undefined, 'ADC is not asked for a project either');
  });

  describe('a failed listing becomes typing, with the reason shown (the real flow)', () => {
    let workspace: string;
    before(() => {
      workspace = mkdtempSync(join(tmpdir(), 'sw-gcp-listings-'));
      mkdirSync(join(workspace, 'infra'));
      writeFileSync(join(workspace, 'infra', 'main.tf'), '');
    });

    async function flow(project: string, script: (string | typeof ESC)[], endpoint = sim.rootUrl) {
      const prompter = new ScriptedPrompter(script);
      const settings = new MemorySettings();
      const listings = gcpSources({
        client: createListingClient({ endpoint, accessToken: sim.token }),
        workspaceFolder: workspace,
        signal: signal(),
        env: { GOOGLE_CLOUD_PROJECT: project, CLOUDSDK_CONFIG: join(workspace, 'none') },
      });
      const result = await configureGcp({ folderName: 'orders', prompter, listings, settings });
      return { result, prompter, settings };
    }

    it('APIs disabled: location, service account and bucket are typed, each saying which API is off', async () => {
      const { result, prompter, settings } = await flow('no-apis', ['', 'us-east1', '', 'deployer@no-apis.iam.gserviceaccount.com', '', 'no-apis-staging']);
      const typed = prompter.asked.filter((s) => s.kind === 'input').map((s) => s.title.replace(/^Stackwatch: Google Cloud /, '').replace(/ \(.*$/, ''));
      assert.deepEqual(typed, ['Location', 'Deployment ID', 'Service account', 'Staging bucket']);
      assert.match(
        prompter.asked[1]?.text ?? '',
        /config\.googleapis\.com is not enabled in project no-apis\. Enable config\.googleapis\.com .*Type the location\./,
      );
      assert.match(
        prompter.asked[3]?.text ?? '',
        /iam\.googleapis\.com is not enabled in project no-apis\. Enable iam\.googleapis\.com .*Type the service account\./,
      );
      assert.match(
        prompter.asked[5]?.text ?? '',
        /storage\.googleapis\.com is not enabled in project no-apis\. Enable storage\.googleapis\.com .*Type the staging bucket\./,
      );
      // Typed values are still checked.
      assert.equal(result?.serviceAccount, 'deployer@no-apis.iam.gserviceaccount.com');
      assert.equal(settings.writes.length, 7);
    });

    it('only IAM disabled: the other steps still list', async () => {
      const { prompter } = await flow('no-iam', ['', '', '', 'deployer@no-iam.iam.gserviceaccount.com', '', '']);
      assert.deepEqual(
        prompter.asked.map((s) => s.kind),
        ['pick', 'pick', 'input', 'input', 'pick', 'pick'],
      );
      assert.deepEqual(prompter.asked[5]?.offered, ['no-iam-bucket']);
    });

    it('no network (nothing listening): typed, saying the endpoint could not be reached; Escape still writes nothing', async () => {
      const closed = await freePort();
      const { result, prompter, settings } = await flow(PROJECT, ['', ESC], `http://127.0.0.1:${closed}/`);
      assert.equal(prompter.asked[1]?.kind, 'input');
      assert.match(prompter.asked[1]?.text ?? '', /Could not reach Google Cloud at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\)\..*Type the location\./);
      assert.equal(result, undefined);
      assert.deepEqual(settings.writes, []);
    });

    it('wrong credentials: typed, with the credentials hint', async () => {
      const prompter = new ScriptedPrompter(['', ESC]);
      const listings = gcpSources({
        client: createListingClient({ endpoint: sim.rootUrl, accessToken: 'expired' }),
        workspaceFolder: workspace,
        signal: signal(),
        env: { GOOGLE_CLOUD_PROJECT: PROJECT },
      });
      await configureGcp({ folderName: 'orders', prompter, listings, settings: new MemorySettings() });
      assert.equal(prompter.asked[1]?.kind, 'input');
      assert.match(prompter.asked[1]?.text ?? '', /invalid authentication credentials.*gcloud auth application-default login/);
    });
  });
});

describe('GCP project hints', () => {
  const adc = useIsolatedAdc({ withoutPath: true });

  it("the environment, gcloud's active configuration, then Application Default Credentials; each once", async () => {
    const home = adc.home();
    const gcloud = join(home, 'gcloud-config');
    mkdirSync(join(gcloud, 'configurations'), { recursive: true });
    writeFileSync(join(gcloud, 'active_config'), 'work\n');
    writeFileSync(join(gcloud, 'configurations', 'config_work'), '[compute]\nproject = not-this\n[core]\nproject = gcloud-project\n');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(home, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'key-project',
        private_key_id: 'k',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: 'd@key-project.iam.gserviceaccount.com',
        client_id: '1',
      }),
    );
    const env = { CLOUDSDK_CONFIG: gcloud, GOOGLE_CLOUD_PROJECT: 'env-project', CLOUDSDK_CORE_PROJECT: 'env-project' };
    const hints = await projectHints({ env, adc: new GoogleAuth({ keyFile }), signal: signal() });
    assert.deepEqual(hints, [
      { id: 'env-project', source: 'CLOUDSDK_CORE_PROJECT' },
      { id: 'gcloud-project', source: 'gcloud config (work)' },
      { id: 'key-project', source: 'Application Default Credentials' },
    ]);
  });

  it('ADC without a project: no hint from it, and no error', async () => {
    const hints = await projectHints({ env: { CLOUDSDK_CONFIG: join(adc.home(), 'nothing') }, adc: new GoogleAuth(), signal: signal() });
    assert.deepEqual(hints, []);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
