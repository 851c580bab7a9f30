/**
 * The Google Cloud configure flow (Configure Deployment in a Google Cloud workspace), step by
 * step, with a scripted person at the prompts. The listings are the real ones: project hints
 * from the environment and a gcloud configuration folder, the project's lists over HTTP from
 * im-sim, and the Terraform folders of a real temp workspace.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { askProvider, chooseFlow } from '../../src/commands/chooseProvider';
import { configureGcp, type Listings } from '../../src/providers/gcp/configure/configureGcpFlow';
import { gcpSources } from '../../src/providers/gcp/configure/configureGcpSources';
import { defaultDeploymentName } from '../../src/providers/gcp/configure/configureGcpValues';
import { createListingClient } from '../../src/providers/gcp/listingClient';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { ESC, MemorySettings, ScriptedPrompter, type Answer } from '../support/scriptedPrompter';

const PROJECT = 'orders-prod';
const WRITTEN_KEYS = [
  'stackwatch.provider',
  'stackwatch.gcp.project',
  'stackwatch.gcp.location',
  'stackwatch.gcp.deploymentId',
  'stackwatch.gcp.serviceAccount',
  'stackwatch.gcp.blueprintFolder',
  'stackwatch.gcp.stagingBucket',
];

describe('Configure for Google Cloud: the flow', () => {
  let sim: ImSim;
  let workspace: string;
  let gcloudDir: string;

  before(async () => {
    sim = await startImSim({
      speed: 0,
      projects: {
        [PROJECT]: {
          locations: ['us-central1', 'europe-west1'],
          serviceAccounts: [
            { email: 'deployer@orders-prod.iam.gserviceaccount.com', displayName: 'Deployer' },
            { email: 'retired@orders-prod.iam.gserviceaccount.com', disabled: true },
            { email: 'ci@orders-prod.iam.gserviceaccount.com' },
          ],
          buckets: [{ name: 'orders-prod-blueprints', location: 'US-CENTRAL1' }, { name: 'orders-prod-logs' }],
        },
        'empty-project': {},
      },
    });
  });
  after(async () => {
    await sim.close();
  });
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'sw-configure-gcp-'));
    mkdirSync(join(workspace, 'infra', 'orders'), { recursive: true });
    writeFileSync(join(workspace, 'infra', 'orders', 'main.tf'), 'resource "google_storage_bucket" "b" {}\n');
    mkdirSync(join(workspace, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(workspace, 'node_modules', 'x', 'main.tf'), '');
    gcloudDir = join(workspace, '.gcloud-config');
    mkdirSync(join(gcloudDir, 'configurations'), { recursive: true });
  });

  function sources(env: NodeJS.ProcessEnv = {}): Listings {
    const client = createListingClient({ endpoint: sim.rootUrl, accessToken: sim.token });
    return gcpSources({ client, workspaceFolder: workspace, signal: new AbortController().signal, env: { CLOUDSDK_CONFIG: gcloudDir, ...env } });
  }

  async function run(script: Answer[], options: { settings?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}) {
    const prompter = new ScriptedPrompter(script);
    const settings = new MemorySettings({ ...options.settings });
    const result = await configureGcp({ folderName: 'Orders App', prompter, listings: sources(options.env), settings });
    return { result, prompter, settings };
  }

  it('offers each step from the project, then writes the six settings and provider gcp', async () => {
    writeFileSync(join(gcloudDir, 'configurations', 'config_default'), `[core]\naccount = me@example.com\nproject = ${PROJECT}\n`);
    const { result, prompter, settings } = await run(['', 'europe-west1', '', 'deployer@orders-prod.iam.gserviceaccount.com', '', 'orders-prod-blueprints']);

    const [project, location, deploymentName, account, folder, bucket] = prompter.asked;
    assert.deepEqual(project?.offered, [PROJECT]);
    assert.equal(project?.descriptions[PROJECT], 'gcloud config (default)');
    // Unset, the setting's default leads, marked as the default rather than as a current value.
    assert.deepEqual(location?.offered, ['us-central1', 'europe-west1']);
    assert.equal(location?.descriptions['us-central1'], 'default · Iowa');
    assert.equal(deploymentName?.kind, 'input');
    assert.deepEqual(deploymentName?.offered, [defaultDeploymentName('Orders App')]);
    // The disabled account is not offered: Terraform could not run as it.
    assert.deepEqual(account?.offered, ['ci@orders-prod.iam.gserviceaccount.com', 'deployer@orders-prod.iam.gserviceaccount.com']);
    assert.deepEqual(folder?.offered, ['infra/orders']);
    assert.deepEqual(bucket?.offered, ['orders-prod-blueprints', 'orders-prod-logs']);
    assert.match(prompter.asked.map((s) => s.title).join('\n'), /\(1\/6\)[\s\S]*\(2\/6\)[\s\S]*\(3\/6\)[\s\S]*\(4\/6\)[\s\S]*\(5\/6\)[\s\S]*\(6\/6\)/);

    assert.deepEqual(result, {
      project: PROJECT,
      location: 'europe-west1',
      deploymentName: 'orders-app',
      serviceAccount: 'deployer@orders-prod.iam.gserviceaccount.com',
      blueprintFolder: 'infra/orders',
      stagingBucket: 'orders-prod-blueprints',
    });
    assert.deepEqual(
      settings.writes.map(([key]) => key),
      WRITTEN_KEYS,
    );
    assert.deepEqual(settings.writes[0], ['stackwatch.provider', 'gcp']);
  });

  it('puts the current settings first, marked current, even when a listing does not have them', async () => {
    const current = {
      'stackwatch.provider': 'gcp',
      'stackwatch.gcp.project': PROJECT,
      'stackwatch.gcp.location': 'us-central1',
      'stackwatch.gcp.deploymentId': 'orders-live',
      'stackwatch.gcp.serviceAccount': 'typed-by-hand@other-project.iam.gserviceaccount.com',
      'stackwatch.gcp.blueprintFolder': 'infra/orders',
      'stackwatch.gcp.stagingBucket': 'orders-prod-logs',
    };
    const { result, prompter, settings } = await run(['', '', '', '', '', ''], { settings: current, env: { GOOGLE_CLOUD_PROJECT: 'another-project' } });
    const [project, location, deploymentName, account, , bucket] = prompter.asked;
    assert.deepEqual(project?.offered, [PROJECT, 'another-project']);
    assert.equal(project?.descriptions[PROJECT], 'current (not in the list)');
    assert.equal(location?.offered[0], 'us-central1');
    assert.match(location?.descriptions['us-central1'] ?? '', /^current · Iowa$/);
    assert.deepEqual(deploymentName?.offered, ['orders-live']);
    assert.equal(account?.offered[0], 'typed-by-hand@other-project.iam.gserviceaccount.com');
    assert.equal(bucket?.offered[0], 'orders-prod-logs');
    assert.equal(result?.serviceAccount, 'typed-by-hand@other-project.iam.gserviceaccount.com');
    // Already gcp: the provider is not written again.
    assert.ok(!settings.writes.some(([key]) => key === 'stackwatch.provider'));
  });

  it('a current value the settings schema refuses is not offered', async () => {
    const { prompter } = await run([ESC], { settings: { 'stackwatch.gcp.project': 'has space' }, env: { GOOGLE_CLOUD_PROJECT: PROJECT } });
    assert.deepEqual(prompter.asked[0]?.offered, [PROJECT]);
  });

  for (let step = 1; step <= 6; step++) {
    it(`Escape at step ${step} writes nothing`, async () => {
      const answers: Answer[] = [PROJECT, '', '', '', '', ''];
      answers[step - 1] = ESC;
      const { result, prompter, settings } = await run(answers.slice(0, step), { env: { GOOGLE_CLOUD_PROJECT: PROJECT } });
      assert.equal(result, undefined);
      assert.equal(prompter.asked.length, step);
      assert.deepEqual(settings.writes, []);
    });
  }

  it('checks every typed value, and takes a corrected one', async () => {
    const { result, prompter } = await run(
      [
        'My Project',
        '123456789012',
        PROJECT,
        'US Central',
        'us-central1',
        'Orders',
        '-orders',
        'orders-',
        'x'.repeat(64),
        'orders-prod',
        'deployer',
        'deployer@orders-prod.iam.gserviceaccount.com',
        '/abs/path',
        '../outside',
        'infra/orders',
        'gs://orders-prod-blueprints',
        'Orders_Bucket',
        'ab',
        'orders-prod-blueprints',
      ],
      { env: {} },
    );
    const refused = prompter.asked.map((s) => s.refused);
    assert.equal(refused[0]?.length, 2);
    assert.match(refused[0]?.[0] ?? '', /upper-case|spaces/);
    assert.match(refused[0]?.[1] ?? '', /project number/);
    assert.match(refused[1]?.[0] ?? '', /not a location name/);
    assert.deepEqual(
      refused[2]?.map((m) => /upper-case|lower-case letters, digits and hyphens|63/.test(m)),
      [true, true, true, true],
    );
    assert.match(refused[2]?.[0] ?? '', /upper-case/);
    assert.match(refused[2]?.[3] ?? '', /64 characters long/);
    assert.match(refused[3]?.[0] ?? '', /service account email/);
    assert.match(refused[4]?.[0] ?? '', /relative to the workspace folder/);
    assert.match(refused[4]?.[1] ?? '', /inside the workspace folder/);
    assert.match(refused[5]?.[0] ?? '', /without gs:\/\/ \(orders-prod-blueprints\)/);
    assert.match(refused[5]?.[1] ?? '', /lower-case letters/);
    assert.match(refused[5]?.[2] ?? '', /3 to 63 characters/);
    assert.equal(result?.stagingBucket, 'orders-prod-blueprints');
  });

  it('no project known: the first step is typing, with the reason', async () => {
    const { prompter, settings } = await run([ESC], { env: {} });
    assert.equal(prompter.asked[0]?.kind, 'input');
    assert.match(prompter.asked[0]?.text ?? '', /No project is known from gcloud, the environment or Application Default Credentials\. Type the project\./);
    assert.deepEqual(settings.writes, []);
  });

  it('a project with no service accounts or buckets: those steps are typed, saying so', async () => {
    const { result, prompter } = await run(['empty-project', '', '', 'sa@empty-project.iam.gserviceaccount.com', '', 'empty-project-staging'], {
      env: { GOOGLE_CLOUD_PROJECT: 'empty-project' },
    });
    assert.equal(prompter.asked[3]?.kind, 'input');
    assert.match(prompter.asked[3]?.text ?? '', /Project empty-project has no enabled service accounts\. Type the service account\./);
    assert.equal(prompter.asked[5]?.kind, 'input');
    assert.match(prompter.asked[5]?.text ?? '', /has no Cloud Storage buckets/);
    assert.equal(result?.stagingBucket, 'empty-project-staging');
  });

  it('no Terraform folder in the workspace: the folder is typed, saying so', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'sw-configure-gcp-bare-'));
    const client = createListingClient({ endpoint: sim.rootUrl, accessToken: sim.token });
    const prompter = new ScriptedPrompter([PROJECT, '', '', '', ESC]);
    const settings = new MemorySettings();
    await configureGcp({
      folderName: 'bare',
      prompter,
      settings,
      listings: gcpSources({ client, workspaceFolder: bare, signal: new AbortController().signal, env: { GOOGLE_CLOUD_PROJECT: PROJECT } }),
    });
    assert.equal(prompter.asked[4]?.kind, 'input');
    assert.match(prompter.asked[4]?.text ?? '', /No folder with \.tf files was found in bare\. Type the blueprint folder\./);
    assert.deepEqual(settings.writes, []);
  });

  it('the workspace folder itself holds the .tf files: "." is offered', async () => {
    writeFileSync(join(workspace, 'main.tf'), '');
    const { prompter } = await run([PROJECT, '', '', '', ESC], { env: { GOOGLE_CLOUD_PROJECT: PROJECT } });
    assert.deepEqual(prompter.asked[4]?.offered, ['.', 'infra/orders']);
  });
});

describe('Configure: which flow', () => {
  it('the configured provider decides; unset, the workspace does; both or neither asks', () => {
    assert.equal(chooseFlow('gcp', ['aws']), 'gcp');
    assert.equal(chooseFlow('aws', ['gcp']), 'aws');
    assert.equal(chooseFlow(undefined, ['gcp']), 'gcp');
    assert.equal(chooseFlow(undefined, ['aws']), 'aws');
    assert.equal(chooseFlow(undefined, ['aws', 'gcp']), 'ask');
    assert.equal(chooseFlow(undefined, []), 'ask');
  });

  it('asking: only the two providers can be chosen, and Escape chooses none', async () => {
    const typed = new ScriptedPrompter(['azure', 'Google Cloud Infrastructure Manager']);
    assert.equal(await askProvider(typed), 'gcp');
    assert.equal(typed.asked[0]?.refused.length, 1);
    assert.equal(await askProvider(new ScriptedPrompter(['AWS CloudFormation'])), 'aws');
    assert.equal(await askProvider(new ScriptedPrompter([ESC])), undefined);
  });

  it('the default deployment ID is a valid one made from the folder name', () => {
    assert.equal(defaultDeploymentName('Orders App_2'), 'orders-app-2');
    assert.equal(defaultDeploymentName('42-things'), 'things');
    assert.equal(defaultDeploymentName('___'), 'my-deployment');
    assert.equal(defaultDeploymentName(`a${'b'.repeat(70)}`).length, 63);
  });
});
