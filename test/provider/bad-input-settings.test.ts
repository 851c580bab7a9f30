/**
 * Bad settings, end to end: the raw values the editor would hold go through the settings reader
 * (the same schema the extension uses) and, only when it accepts them, into the real template or
 * blueprint step, machine, adapter and SDK against the simulators. Every wrong setting must be
 * refused with a bounded message that names it, and the simulators' request logs must stay empty.
 * The controls show that accepted settings do reach the endpoint, so an empty log means something.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SettingsError } from '../../src/config/settingsError';
import { parseWorkspaceSettings } from '../../src/config/settingsSchema';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { GcpStackSettings } from '../../src/providers/gcp/settings';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { awsProvider, startDeployment, waitFor, waitForEnd } from '../support/awsDeployment';
import { gcpProvider, startGcpDeployment } from '../support/gcpDeployment';
import { useIsolatedAdc } from '../support/isolatedAdc';

/** Message and hint together stay short enough for a notification, whatever was pasted. */
const MAX_MESSAGE = 400;

const TEMPLATE = `Parameters:
  Stage:
    Type: String
    Default: dev
Resources:
  Queue:
    Type: AWS::SQS::Queue
`;

type Values = Record<string, unknown>;

interface Refusal {
  /** The setting the message must name. */
  setting: string;
  /** What the message must say about it. */
  says: RegExp;
  /** Text that must not appear (a secret, or the bulk of a huge value). */
  never?: string;
}

/** The settings reader's verdict; asserts a refusal names the setting, briefly, with a hint. */
function assertRefused(read: () => unknown, expected: Refusal): SettingsError {
  let refused: unknown;
  try {
    read();
  } catch (error) {
    refused = error;
  }
  assert.ok(
    refused instanceof SettingsError,
    `expected the settings to be refused, got ${refused === undefined ? 'them accepted' : refused instanceof Error ? refused.message : JSON.stringify(refused)}`,
  );
  const { message, hint } = refused;
  assert.equal(refused.setting, expected.setting);
  assert.equal(toErrorInfo(refused).setting, expected.setting, 'the UI can link to the setting');
  assert.ok(message.includes(expected.setting), `the message names ${expected.setting}: ${message}`);
  assert.match(message, expected.says);
  assert.ok(hint && hint.length > 0, 'the message comes with what to do');
  const whole = `${message} ${hint}`;
  assert.ok(whole.length <= MAX_MESSAGE, `${whole.length} characters: ${whole.slice(0, 300)}`);
  if (expected.never) assert.ok(!whole.includes(expected.never), `the message must not contain ${JSON.stringify(expected.never.slice(0, 40))}`);
  return refused;
}

describe('CloudFormation: wrong settings are refused before anything reaches the endpoint', () => {
  let sim: CfnSim;
  const dir = mkdtempSync(join(tmpdir(), 'stackwatch-bad-settings-'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);

  before(async () => {
    sim = await startCfnSim({ speed: 50 });
  });
  beforeEach(() => sim.reset());
  after(() => sim.close());

  function good(): Values {
    return { 'stackwatch.stackName': 'bad-settings', 'stackwatch.aws.region': 'us-east-1', 'stackwatch.aws.endpoint': sim.url, 'stackwatch.cfnLint': 'off' };
  }

  function read(values: Values, env: Record<string, string> = {}): AwsStackSettings {
    const { settings } = parseWorkspaceSettings((key) => values[key], { folderPath: dir, env });
    assert.equal(settings.provider, 'aws');
    return settings as AwsStackSettings;
  }

  /** What the extension does: read the settings, and only then make a provider and start. */
  async function deploy(values: Values, until: 'end' | 'review' = 'end'): Promise<DeploymentSnapshot> {
    const settings = read(values);
    const provider = awsProvider(settings.endpoint ?? assert.fail('no endpoint'), { region: settings.region });
    const session = startDeployment({
      provider,
      stackName: settings.stackName,
      template: TEMPLATE,
      autoExecute: settings.autoExecute,
      initialize: createTemplateInitializer(settings, provider),
    });
    try {
      if (until === 'end') return await waitForEnd(session, 30_000);
      const reviewing = await waitFor(session, (s) => s.matches('reviewing') || s.status === 'done', 30_000, 'review');
      session.send({ type: 'ABORT' });
      await waitForEnd(session, 30_000);
      return reviewing;
    } finally {
      session.dispose();
      provider.dispose();
    }
  }

  /** The simulator's own request log, over HTTP, as any client would read it. */
  async function callsSeen(): Promise<{ action: string; params: Record<string, string> }[]> {
    const response = await fetch(new URL('/_sim/calls', sim.url));
    return (await response.json()) as { action: string; params: Record<string, string> }[];
  }

  async function refuse(values: Values, expected: Refusal, env: Record<string, string> = {}): Promise<void> {
    assertRefused(() => read(values, env), expected);
    assert.deepEqual(await callsSeen(), [], 'not a single call reached the endpoint');
    assert.deepEqual(sim.stacks(), []);
  }

  it('control: accepted settings with autoExecute false stage and wait for review', async () => {
    const reviewing = await deploy({ ...good(), 'stackwatch.autoExecute': false }, 'review');
    assert.ok(reviewing.matches('reviewing'), `ended in ${JSON.stringify(reviewing.value)}: ${reviewing.context.error?.message}`);
    const actions = (await callsSeen()).map((c) => c.action);
    assert.ok(actions.includes('CreateChangeSet'));
    assert.ok(!actions.includes('ExecuteChangeSet'));
  });

  it('control: accepted settings with autoExecute true execute, with the values converted as read', async () => {
    const end = await deploy({
      ...good(),
      'stackwatch.autoExecute': true,
      'stackwatch.parameters': { Stage: 3 },
      'stackwatch.capabilities': ['CAPABILITY_IAM'],
    });
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    const calls = await callsSeen();
    const staged = calls.find((c) => c.action === 'CreateChangeSet');
    assert.equal(staged?.params['Parameters.member.1.ParameterValue'], '3');
    assert.equal(staged?.params['Capabilities.member.1'], 'CAPABILITY_IAM');
    assert.ok(calls.some((c) => c.action === 'ExecuteChangeSet'));
  });

  const cases: [string, Values, Refusal][] = [
    [
      'autoExecute "false" (a string) is refused, never taken as true',
      { 'stackwatch.autoExecute': 'false' },
      { setting: 'stackwatch.autoExecute', says: /^stackwatch\.autoExecute must be true or false, not the string "false"\.$/ },
    ],
    ['autoExecute "true" (a string)', { 'stackwatch.autoExecute': 'true' }, { setting: 'stackwatch.autoExecute', says: /not the string "true"/ }],
    ['autoExecute 1 (a number)', { 'stackwatch.autoExecute': 1 }, { setting: 'stackwatch.autoExecute', says: /must be true or false, not the number 1/ }],
    [
      'autoExecuteDestructive "yes"',
      { 'stackwatch.autoExecuteDestructive': 'yes' },
      { setting: 'stackwatch.autoExecuteDestructive', says: /must be true or false, not the string "yes"/ },
    ],
    [
      'parameters as a string',
      { 'stackwatch.parameters': 'DbPassword=hunter2' },
      { setting: 'stackwatch.parameters', says: /must be an object, e\.g\. \{ "Stage": "dev" \}, not a string \(18 characters\)/, never: 'hunter2' },
    ],
    [
      'parameters as a list',
      { 'stackwatch.parameters': ['Stage=prod'] },
      { setting: 'stackwatch.parameters', says: /must be an object.*not a list/, never: 'prod' },
    ],
    ['parameters null', { 'stackwatch.parameters': null }, { setting: 'stackwatch.parameters', says: /must be an object.*not null/ }],
    [
      'a parameter value that is an object',
      { 'stackwatch.parameters': { DbPassword: { value: 'hunter2' } } },
      { setting: 'stackwatch.parameters', says: /sets "DbPassword" to an object; a parameter value must be a string/, never: 'hunter2' },
    ],
    ['a parameter value that is null', { 'stackwatch.parameters': { Stage: null } }, { setting: 'stackwatch.parameters', says: /sets "Stage" to null/ }],
    [
      'a parameter value that is a list of lists',
      { 'stackwatch.parameters': { Zones: [['a']] } },
      { setting: 'stackwatch.parameters', says: /sets "Zones" to a list holding objects or lists/ },
    ],
    [
      'capabilities as a string',
      { 'stackwatch.capabilities': 'CAPABILITY_IAM' },
      { setting: 'stackwatch.capabilities', says: /must be a list of capabilities, e\.g\. \["CAPABILITY_IAM"\], not the string "CAPABILITY_IAM"/ },
    ],
    [
      'an unknown capability',
      { 'stackwatch.capabilities': ['CAPABILITY_ADMIN'] },
      {
        setting: 'stackwatch.capabilities',
        says: /unknown capability "CAPABILITY_ADMIN"; the valid ones are CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND\./,
      },
    ],
    [
      'a capability that is not a string (was "capability.trim is not a function")',
      { 'stackwatch.capabilities': ['CAPABILITY_IAM', 42] },
      { setting: 'stackwatch.capabilities', says: /^stackwatch\.capabilities\[1\] must be a capability name \(a string\), not the number 42\.$/ },
    ],
    [
      'a lower-case capability',
      { 'stackwatch.capabilities': ['capability_iam'] },
      { setting: 'stackwatch.capabilities', says: /unknown capability "capability_iam"/ },
    ],
    [
      'endpoint without a scheme',
      { 'stackwatch.aws.endpoint': '127.0.0.1:4566' },
      { setting: 'stackwatch.aws.endpoint', says: /has no scheme; it must start with http:\/\/ or https:\/\// },
    ],
    [
      'endpoint with another scheme',
      { 'stackwatch.aws.endpoint': 'ftp://127.0.0.1:4566' },
      { setting: 'stackwatch.aws.endpoint', says: /uses the scheme "ftp:"/ },
    ],
    [
      'endpoint with a space',
      { 'stackwatch.aws.endpoint': 'http://127.0.0.1: 4566' },
      { setting: 'stackwatch.aws.endpoint', says: /contains a space at position 18/ },
    ],
    ['endpoint with no host', { 'stackwatch.aws.endpoint': 'http://' }, { setting: 'stackwatch.aws.endpoint', says: /has no host name/ }],
    [
      'endpoint with a port out of range',
      { 'stackwatch.aws.endpoint': 'http://127.0.0.1:70000' },
      { setting: 'stackwatch.aws.endpoint', says: /port 70000, outside 1–65535/ },
    ],
    ['endpoint as a number', { 'stackwatch.aws.endpoint': 4566 }, { setting: 'stackwatch.aws.endpoint', says: /must be a string, not the number 4566/ }],
    [
      'endpoint with a password in it',
      { 'stackwatch.aws.endpoint': 'http://admin:s3cret@127.0.0.1:4566' },
      { setting: 'stackwatch.aws.endpoint', says: /contains a user name or password/, never: 's3cret' },
    ],
    ['region in upper case', { 'stackwatch.aws.region': 'US-EAST-1' }, { setting: 'stackwatch.aws.region', says: /"US-EAST-1" has upper-case letters/ }],
    [
      'an availability zone for a region',
      { 'stackwatch.aws.region': 'us-east-1a' },
      { setting: 'stackwatch.aws.region', says: /is an availability zone, not a region/ },
    ],
    ['region as a number', { 'stackwatch.aws.region': 1 }, { setting: 'stackwatch.aws.region', says: /must be a string, not the number 1/ }],
    [
      'region that is no region',
      { 'stackwatch.aws.region': 'Frankfurt' },
      { setting: 'stackwatch.aws.region', says: /is not a region name such as us-east-1/ },
    ],
    ['stack name as a number', { 'stackwatch.stackName': 42 }, { setting: 'stackwatch.stackName', says: /must be a string, not the number 42/ }],
    ['stack name with a space', { 'stackwatch.stackName': 'orders api' }, { setting: 'stackwatch.stackName', says: /contains a space at position 7/ }],
    [
      'a 1 MB stack name',
      { 'stackwatch.stackName': `a${'x'.repeat(1_048_576)}` },
      { setting: 'stackwatch.stackName', says: /characters\) is 1048577 characters long; the limit is 128/, never: 'x'.repeat(200) },
    ],
    [
      'provider that is not one',
      { 'stackwatch.provider': 'azure' },
      { setting: 'stackwatch.provider', says: /must be "aws" or "gcp", not the string "azure"/ },
    ],
    ['provider as true', { 'stackwatch.provider': true }, { setting: 'stackwatch.provider', says: /must be "aws" or "gcp", not true/ }],
    ['cfnLint false (a boolean)', { 'stackwatch.cfnLint': false }, { setting: 'stackwatch.cfnLint', says: /must be "auto" or "off", not false/ }],
    [
      'template path as a list',
      { 'stackwatch.templatePath': ['template.yaml'] },
      { setting: 'stackwatch.templatePath', says: /must be a string, not a list \["template\.yaml"\]/ },
    ],
    [
      'parameters file as an object',
      { 'stackwatch.parametersFile': { path: 'p.json' } },
      { setting: 'stackwatch.parametersFile', says: /must be a string, not an object/ },
    ],
    [
      'profile with a trailing space',
      { 'stackwatch.aws.profile': 'dev ' },
      { setting: 'stackwatch.aws.profile', says: /"dev " contains a space at position 4/ },
    ],
    [
      'template bucket as an object',
      { 'stackwatch.aws.templateBucket': {} },
      { setting: 'stackwatch.aws.templateBucket', says: /must be a string, not an object/ },
    ],
    ['build task as true', { 'stackwatch.buildTask': true }, { setting: 'stackwatch.buildTask', says: /must be a string, not true/ }],
  ];

  for (const [title, values, expected] of cases) {
    it(title, () => refuse({ ...good(), ...values }, expected));
  }

  it('AWS_REGION that is not a region, with no region setting', () =>
    refuse(
      { ...good(), 'stackwatch.aws.region': '' },
      { setting: 'AWS_REGION', says: /^AWS_REGION "eu_west_1" is not a region name such as us-east-1\.$/ },
      { AWS_REGION: 'eu_west_1' },
    ));
});

describe('Google Cloud: wrong settings are refused before anything reaches the endpoint', () => {
  let sim: ImSim;
  const blueprint = mkdtempSync(join(tmpdir(), 'stackwatch-bad-gcp-settings-'));
  writeFileSync(
    join(blueprint, 'main.tf'),
    'variable "name" {\n  type    = string\n  default = "orders"\n}\n\nresource "google_storage_bucket" "data" {\n  # sim: seconds=1\n  name     = var.name\n  location = "US"\n}\n',
  );
  useIsolatedAdc();

  before(async () => {
    sim = await startImSim({ speed: 50, previewSeconds: 1, resourceSeconds: 1 });
  });
  beforeEach(() => sim.reset());
  after(() => sim.close());

  function good(): Values {
    return {
      'stackwatch.provider': 'gcp',
      'stackwatch.gcp.project': 'orders-prod',
      'stackwatch.gcp.deploymentId': 'orders',
      'stackwatch.gcp.serviceAccount': 'deployer@orders-prod.iam.gserviceaccount.com',
      'stackwatch.gcp.blueprintFolder': blueprint,
      'stackwatch.gcp.stagingBucket': 'orders-prod-blueprints',
      'stackwatch.gcp.endpoint': sim.rootUrl,
    };
  }

  function read(values: Values): GcpStackSettings {
    const { settings } = parseWorkspaceSettings((key) => values[key], { folderPath: blueprint, env: {} });
    assert.equal(settings.provider, 'gcp');
    return settings as GcpStackSettings;
  }

  function refuse(values: Values, expected: Refusal): void {
    assertRefused(() => read(values), expected);
    assert.deepEqual(sim.requests(), [], 'not a single request reached the endpoint');
    assert.deepEqual(sim.objects(), []);
  }

  it('control: accepted settings deploy, with auto-execute as read', async () => {
    const settings = read({ ...good(), 'stackwatch.autoExecute': true, 'stackwatch.gcp.inputValues': { name: 'orders-data' } });
    const provider = gcpProvider(sim, settings);
    const session = startGcpDeployment(provider, settings, { autoExecute: settings.autoExecute });
    try {
      const end = await waitForEnd(session, 30_000);
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.ok(sim.requests().length > 0);
    } finally {
      session.dispose();
      provider.dispose();
    }
  });

  const cases: [string, Values, Refusal][] = [
    [
      'autoExecute "false" (a string)',
      { 'stackwatch.autoExecute': 'false' },
      { setting: 'stackwatch.autoExecute', says: /must be true or false, not the string "false"/ },
    ],
    [
      'inputValues as a string',
      { 'stackwatch.gcp.inputValues': 'db_password=hunter2' },
      { setting: 'stackwatch.gcp.inputValues', says: /must be an object.*not a string \(19 characters\)/, never: 'hunter2' },
    ],
    [
      'inputValues as a list',
      { 'stackwatch.gcp.inputValues': [{ name: 'x' }] },
      { setting: 'stackwatch.gcp.inputValues', says: /must be an object.*not a list holding objects or lists/ },
    ],
    ['project as a number', { 'stackwatch.gcp.project': 123456 }, { setting: 'stackwatch.gcp.project', says: /must be a string, not the number 123456/ }],
    ['endpoint without a scheme', { 'stackwatch.gcp.endpoint': 'localhost:4567' }, { setting: 'stackwatch.gcp.endpoint', says: /has no scheme/ }],
    ['deployment ID as a number', { 'stackwatch.gcp.deploymentId': 7 }, { setting: 'stackwatch.gcp.deploymentId', says: /must be a string, not the number 7/ }],
    ['location as a list', { 'stackwatch.gcp.location': ['us-central1'] }, { setting: 'stackwatch.gcp.location', says: /must be a string, not a list/ }],
    [
      'service account as an object',
      { 'stackwatch.gcp.serviceAccount': { email: 'a@b' } },
      { setting: 'stackwatch.gcp.serviceAccount', says: /must be a string, not an object/ },
    ],
    [
      'Terraform version as a number',
      { 'stackwatch.gcp.terraformVersion': 1.5 },
      { setting: 'stackwatch.gcp.terraformVersion', says: /must be a string, not the number 1\.5/ },
    ],
    ['staging bucket as false', { 'stackwatch.gcp.stagingBucket': false }, { setting: 'stackwatch.gcp.stagingBucket', says: /must be a string, not false/ }],
    [
      'blueprint folder as a number',
      { 'stackwatch.gcp.blueprintFolder': 0 },
      { setting: 'stackwatch.gcp.blueprintFolder', says: /must be a string, not the number 0/ },
    ],
    ['project with a space', { 'stackwatch.gcp.project': 'orders prod' }, { setting: 'stackwatch.gcp.project', says: /contains a space at position 7/ }],
  ];

  for (const [title, values, expected] of cases) {
    it(title, () => refuse({ ...good(), ...values }, expected));
  }
});
