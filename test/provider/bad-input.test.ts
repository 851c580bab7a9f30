/**
 * Bad input, end to end: the real template initializer, machine, adapter and SDK. Each case must
 * end with an error that names the file and line, or the setting to fix, and the simulator must
 * show that nothing was staged or deployed.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, startDeployment, waitForEnd } from '../support/awsDeployment';
import { fixture, lineContaining } from '../fixtures/templates/fixtures';
import { freePort } from '../support/freePort';

const GOOD = `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n`;

describe('bad input ends before anything is deployed, with a message that says where', () => {
  let sim: CfnSim;
  let provider: AwsProvider;
  const dir = mkdtempSync(join(tmpdir(), 'stackwatch-bad-input-'));

  before(async () => {
    sim = await startCfnSim({ speed: 50 });
    provider = awsProvider(sim.url);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  function settingsFor(templatePath: string, overrides: Partial<AwsStackSettings> = {}): AwsStackSettings {
    return {
      provider: 'aws',
      templatePath,
      stackName: 'bad-input',
      region: 'us-east-1',
      endpoint: sim.url,
      parameters: {},
      capabilities: [],
      autoExecute: true,
      cfnLint: 'off',
      ...overrides,
    };
  }

  async function deploy(settings: AwsStackSettings, withProvider: AwsProvider = provider): Promise<DeploymentSnapshot> {
    const session = startDeployment({
      provider: withProvider,
      stackName: settings.stackName,
      template: GOOD,
      initialize: createTemplateInitializer(settings, withProvider, {
        describeCondition: (target, signal) => withProvider.describeTarget({ target, signal }).then((r) => r.condition),
      }),
    });
    const end = await waitForEnd(session, 30_000);
    session.dispose();
    return end;
  }

  function assertNothingDeployed(): void {
    const staged = sim.calls().filter((c) => ['CreateChangeSet', 'ExecuteChangeSet', 'DeleteStack'].includes(c.action));
    assert.deepEqual(staged, [], 'no change set, execution or deletion reached the endpoint');
    assert.deepEqual(sim.stacks(), [], 'the endpoint has no stack');
  }

  function write(name: string, body: string): string {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  }

  it('malformed YAML: file and line', async () => {
    const end = await deploy(settingsFor(fixture('bad-yaml.yaml')));
    assert.equal(end.value, 'failed');
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.file, fixture('bad-yaml.yaml'));
    assert.ok((end.context.error?.line ?? 0) >= lineContaining('bad-yaml.yaml', 'Tags:'), `line ${end.context.error?.line}`);
    assert.match(end.context.error?.message ?? '', /bad-yaml\.yaml:\d+/);
    assertNothingDeployed();
  });

  it('a JSON syntax error: file, line and column', async () => {
    const end = await deploy(settingsFor(fixture('bad-json.json')));
    assert.equal(end.context.error?.code, 'Template');
    assert.equal(end.context.error?.line, lineContaining('bad-json.json', '"Queue"'));
    assert.match(end.context.error?.message ?? '', /bad-json\.json:\d+:\d+/);
    assertNothingDeployed();
  });

  it('an unknown tag: the tag, its line, and the tags CloudFormation knows', async () => {
    const end = await deploy(settingsFor(fixture('unknown-tag.yaml')));
    assert.equal(end.context.error?.line, lineContaining('unknown-tag.yaml', '!Reff'));
    assert.match(end.context.error?.message ?? '', /!Reff/);
    assert.match(end.context.error?.message ?? '', /!Ref\b/);
    assertNothingDeployed();
  });

  it('a missing required parameter: its name, where it is declared, and the settings to set it in', async () => {
    const end = await deploy(settingsFor(fixture('required-params.yaml'), { parameters: { DbPassword: 'correct-horse-battery' } }));
    const error = end.context.error;
    assert.equal(error?.code, 'Template');
    assert.match(error?.message ?? '', /Environment/);
    assert.equal(error?.line, lineContaining('required-params.yaml', 'Environment:'));
    assert.match(`${error?.message} ${error?.hint} ${error?.setting}`, /stackwatch\.parameters/);
    assertNothingDeployed();
  });

  it('an invalid stack name: the setting and what is wrong with it', async () => {
    const end = await deploy(settingsFor(write('ok.yaml', GOOD), { stackName: 'my_stack' }));
    assert.equal(end.context.error?.setting, 'stackwatch.stackName');
    assert.match(end.context.error?.message ?? '', /'_'/);
    assertNothingDeployed();
    assert.deepEqual(sim.calls(), [], 'not even a read');
  });

  it('a template over 51,200 bytes without a bucket: the size, the limit and the setting', async () => {
    const big = `Resources:\n${Array.from({ length: 900 }, (_, i) => `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: ${i % 900}\n`).join('')}`;
    const end = await deploy(settingsFor(write('big.yaml', big)));
    assert.equal(end.context.error?.setting, 'stackwatch.aws.templateBucket');
    assert.match(end.context.error?.message ?? '', /51,200 bytes/);
    assertNothingDeployed();
  });

  it('no credentials: a Credentials error that says where credentials come from, and no request sent', async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'no-credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'no-config');
    // Never let the SDK probe the instance metadata address from a test.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const anonymous = awsProvider(sim.url, { credentials: undefined });
    try {
      const end = await deploy(settingsFor(write('ok.yaml', GOOD)), anonymous);
      assert.equal(end.value, 'failed');
      assert.equal(end.context.error?.code, 'Credentials');
      assert.match(end.context.error?.hint ?? '', /stackwatch\.aws\.profile/);
      assert.deepEqual(sim.calls(), [], 'nothing reached the endpoint');
    } finally {
      anonymous.dispose();
      process.env = saved;
    }
  });

  it('an unreachable endpoint: gives up after a few tries and names the endpoint setting', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const unreachable = awsProvider(endpoint);
    try {
      const end = await deploy(settingsFor(write('ok.yaml', GOOD), { endpoint }), unreachable);
      assert.equal(end.value, 'failed');
      assert.equal(end.context.error?.code, 'Transient');
      assert.match(
        end.context.error?.message ?? '',
        new RegExp(`Could not reach CloudFormation at ${endpoint}.*ECONNREFUSED.*Stackwatch gave up after 3 attempts\\.`),
      );
      assert.match(end.context.error?.hint ?? '', /stackwatch\.aws\.endpoint/);
    } finally {
      unreachable.dispose();
    }
  });
});
