/**
 * Bad input for Infrastructure Manager, end to end: the real blueprint initializer, machine,
 * adapter and googleapis client. Each case must end with an error that names the setting (or
 * .tf file and line) to fix, and im-sim must show that nothing was uploaded or deployed.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { GcpProviderSettings } from '../../src/providers/gcp/settings';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { waitForEnd } from '../support/awsDeployment';
import { gcpProvider, gcpSettings, startGcpDeployment } from '../support/gcpDeployment';
import { useIsolatedAdc } from '../support/isolatedAdc';

const VARIABLES = `variable "bucket_name" {
  type        = string
  description = "Name of the data bucket"
}

variable "replicas" {
  type    = number
  default = 1
}

variable "zones" {
  type    = list(string)
  default = []
}
`;

const MAIN = `resource "google_storage_bucket" "data" {
  # sim: seconds=1
  name     = var.bucket_name
  location = "US"
}
`;

describe('GCP: bad input ends before anything is uploaded or deployed', () => {
  let sim: ImSim;
  const dir = mkdtempSync(join(tmpdir(), 'stackwatch-gcp-bad-'));
  let blueprint: string;

  before(async () => {
    sim = await startImSim({ speed: 50, previewSeconds: 1, resourceSeconds: 1 });
  });
  beforeEach(() => {
    sim.reset();
    blueprint = mkdtempSync(join(dir, 'bp-'));
    writeFileSync(join(blueprint, 'variables.tf'), VARIABLES);
    writeFileSync(join(blueprint, 'main.tf'), MAIN);
  });
  after(async () => {
    await sim.close();
  });

  async function deploy(overrides: Partial<GcpProviderSettings>, options: { adc?: boolean } = {}): Promise<DeploymentSnapshot> {
    const settings = gcpSettings(sim, blueprint, { inputValues: { bucket_name: 'orders-data' }, ...overrides });
    const provider = gcpProvider(sim, settings, options);
    const session = startGcpDeployment(provider, settings);
    const end = await waitForEnd(session, 30_000);
    session.dispose();
    provider.dispose();
    return end;
  }

  function assertNothingSent(): void {
    assert.deepEqual(sim.requests(), [], 'not a single request reached the endpoint');
    assert.deepEqual(sim.objects(), [], 'nothing was uploaded');
    assert.deepEqual(sim.deployments(), [], 'nothing was deployed');
  }

  it('control: good input deploys', async () => {
    const end = await deploy({});
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(sim.objects().length, 1);
    assert.equal(sim.deployments()[0]?.state, 'ACTIVE');
  });

  it('missing project: names stackwatch.gcp.project', async () => {
    const end = await deploy({ project: '' });
    assert.equal(end.value, 'failed');
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.project');
    assert.match(end.context.error?.message ?? '', /stackwatch\.gcp\.project is not set/);
    assert.ok(end.context.error?.hint);
    assertNothingSent();
  });

  it('missing service account: names stackwatch.gcp.serviceAccount', async () => {
    const end = await deploy({ serviceAccount: ' ' });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.serviceAccount');
    assert.match(end.context.error?.message ?? '', /service account/);
    assertNothingSent();
  });

  it('a service account that is not an email or resource name', async () => {
    const end = await deploy({ serviceAccount: 'deployer' });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.serviceAccount');
    assert.match(end.context.error?.message ?? '', /"deployer"/);
    assertNothingSent();
  });

  it('missing staging bucket and location: each named', async () => {
    assert.equal((await deploy({ stagingBucket: '' })).context.error?.setting, 'stackwatch.gcp.stagingBucket');
    assert.equal((await deploy({ location: '' })).context.error?.setting, 'stackwatch.gcp.location');
    assertNothingSent();
  });

  it('a deployment ID Infrastructure Manager would reject: the setting and what is wrong', async () => {
    const end = await deploy({ deploymentName: 'Orders_Prod' });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.deploymentId');
    assert.match(end.context.error?.message ?? '', /"Orders_Prod" has upper-case letters/);
    assertNothingSent();
  });

  it('blueprint folder missing', async () => {
    const end = await deploy({ blueprintFolder: join(dir, 'no-such-folder') });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.blueprintFolder');
    assert.match(end.context.error?.message ?? '', /no-such-folder does not exist/);
    assertNothingSent();
  });

  it('blueprint folder empty', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const end = await deploy({ blueprintFolder: empty });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.blueprintFolder');
    assert.match(end.context.error?.message ?? '', /is empty/);
    assertNothingSent();
  });

  it('blueprint folder with no .tf at its top level (state files and .terraform do not count)', async () => {
    const noTf = mkdtempSync(join(dir, 'notf-'));
    writeFileSync(join(noTf, 'README.md'), '# infra\n');
    writeFileSync(join(noTf, 'terraform.tfstate'), '{}');
    mkdirSync(join(noTf, 'modules'));
    writeFileSync(join(noTf, 'modules', 'net.tf'), MAIN);
    const end = await deploy({ blueprintFolder: noTf });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.blueprintFolder');
    assert.match(end.context.error?.message ?? '', /no \.tf files/);
    assertNothingSent();
  });

  it('an unknown input value: the setting and the closest variable name', async () => {
    const end = await deploy({ inputValues: { bucket_name: 'orders-data', replica: 3 } });
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.inputValues');
    assert.match(end.context.error?.message ?? '', /"replica" is not a variable.*Did you mean "replicas"\?/);
    assertNothingSent();
  });

  it('a required variable without a value: its .tf file and line', async () => {
    const end = await deploy({ inputValues: {} });
    assert.equal(end.context.error?.setting, 'stackwatch.gcp.inputValues');
    assert.equal(end.context.error?.file, join(blueprint, 'variables.tf'));
    assert.equal(end.context.error?.line, 1);
    assert.match(end.context.error?.message ?? '', /variables\.tf:1: .*"bucket_name" has no default/);
    assertNothingSent();
  });

  it('a value of the wrong type: the declared type and the line', async () => {
    const end = await deploy({ inputValues: { bucket_name: 'orders-data', zones: 'us-central1-a' } });
    assert.equal(end.context.error?.line, 11);
    assert.match(end.context.error?.message ?? '', /"zones" has type list\(string\), but its value is the string "us-central1-a"/);
    assertNothingSent();
  });

  describe('without Application Default Credentials', () => {
    useIsolatedAdc();

    it('GOOGLE_APPLICATION_CREDENTIALS names a missing file: a Credentials error that says how to log in', async () => {
      process.env.GOOGLE_APPLICATION_CREDENTIALS = join(dir, 'missing-key.json');
      const end = await deploy({}, { adc: true });
      assert.equal(end.value, 'failed');
      assert.equal(end.context.error?.code, 'Credentials');
      assert.match(end.context.error?.message ?? '', /Application Default Credentials/);
      assert.match(end.context.error?.message ?? '', /missing-key\.json/);
      assert.match(end.context.error?.hint ?? '', /gcloud auth application-default login/);
      assert.match(end.context.error?.hint ?? '', /GOOGLE_APPLICATION_CREDENTIALS/);
      assertNothingSent();
    });

    it('no credentials anywhere: the same clear error', async () => {
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      const end = await deploy({}, { adc: true });
      assert.equal(end.context.error?.code, 'Credentials');
      assert.match(end.context.error?.message ?? '', /Could not load the default credentials/);
      assert.match(end.context.error?.hint ?? '', /gcloud auth application-default login/);
      assertNothingSent();
    });
  });
});
