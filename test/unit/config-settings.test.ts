/**
 * The settings schema: every `stackwatch.*` setting is read through it, a wrong type is refused
 * with a message naming the setting, and package.json and the schema describe the same settings.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { MAX_QUOTE } from '../../src/config/describeValue';
import { endpointProblem } from '../../src/config/endpoint';
import { SettingsError } from '../../src/config/settingsError';
import { allSettings, parseWorkspaceSettings } from '../../src/config/settingsSchema';
import type { SettingReader } from '../../src/config/settingTypes';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { GcpStackSettings } from '../../src/providers/gcp/settings';
import { resolvedManifest } from '../support/manifest';

interface ConfigurationProperty {
  type: string;
  default: unknown;
  enum?: string[];
}

const manifest = resolvedManifest<{
  contributes: { configuration: { properties: Record<string, ConfigurationProperty> } };
}>();
const PROPERTIES = manifest.contributes.configuration.properties;
const PLACE = { folderPath: '/work/app', env: {} };

function readerOf(values: Record<string, unknown>): SettingReader {
  return (key) => values[key];
}

const AWS_BASE = { 'stackwatch.stackName': 'orders-api', 'stackwatch.aws.region': 'us-east-1' };

function refusal(values: Record<string, unknown>, env: Record<string, string> = {}): SettingsError {
  try {
    parseWorkspaceSettings(readerOf(values), { ...PLACE, env });
  } catch (error) {
    assert.ok(error instanceof SettingsError, `expected a SettingsError, got ${String(error)}`);
    return error;
  }
  assert.fail(`settings were accepted: ${JSON.stringify(values).slice(0, 200)}`);
}

describe('settings schema and package.json', () => {
  const schemaKeys = allSettings()
    .map((s) => s.key)
    .sort();

  it('has one entry per contributed setting, and no other', () => {
    assert.deepEqual(schemaKeys, Object.keys(PROPERTIES).sort());
  });

  it('accepts every default package.json declares, and reads the same settings as when nothing is set', () => {
    const defaults = Object.fromEntries(Object.entries(PROPERTIES).map(([key, p]) => [key, p.default]));
    for (const entry of allSettings()) assert.doesNotThrow(() => entry.parse(defaults[entry.key], entry.key), entry.key);
    const withDefaults = parseWorkspaceSettings(readerOf({ ...defaults, ...AWS_BASE }), PLACE);
    const unset = parseWorkspaceSettings(readerOf(AWS_BASE), PLACE);
    assert.deepEqual(withDefaults, unset);
    const gcp = { 'stackwatch.provider': 'gcp', 'stackwatch.gcp.deploymentId': 'orders' };
    assert.deepEqual(parseWorkspaceSettings(readerOf({ ...defaults, ...gcp }), PLACE), parseWorkspaceSettings(readerOf(gcp), PLACE));
  });

  it('refuses, for every contributed setting, a value of another JSON type, naming the setting', () => {
    const wrong: Record<string, unknown[]> = {
      boolean: ['false', 'true', 0, null, [], {}],
      string: [42, true, ['x'], { x: 1 }],
      array: ['CAPABILITY_IAM', 3, { 0: 'CAPABILITY_IAM' }, true],
      object: ['Stage=dev', ['Stage', 'dev'], 7, false, null],
    };
    let checked = 0;
    for (const [key, property] of Object.entries(PROPERTIES)) {
      for (const value of wrong[property.type] ?? assert.fail(`no wrong values for type ${property.type}`)) {
        const entry = allSettings().find((s) => s.key === key);
        assert.ok(entry);
        assert.throws(
          () => entry.parse(value, key),
          (error: unknown) => {
            assert.ok(error instanceof SettingsError, `${key} = ${JSON.stringify(value)}: ${String(error)}`);
            assert.equal(error.setting, key);
            assert.ok(error.message.startsWith(key), error.message);
            assert.ok(error.message.length <= 300, error.message);
            return true;
          },
          `${key} = ${JSON.stringify(value)} was accepted`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 90, `only ${checked} combinations`);
  });
});

describe('reading CloudFormation settings', () => {
  it('reads good settings into typed values, paths resolved against the folder', () => {
    const settings = parseWorkspaceSettings(
      readerOf({
        ...AWS_BASE,
        'stackwatch.templatePath': 'infra/template.yaml',
        'stackwatch.parametersFile': '/abs/params.json',
        'stackwatch.parameters': { Stage: 'dev', Size: 3, Debug: false, Zones: ['a', 'b'] },
        'stackwatch.capabilities': ['CAPABILITY_IAM'],
        'stackwatch.autoExecute': true,
        'stackwatch.autoExecuteDestructive': true,
        'stackwatch.aws.endpoint': 'http://127.0.0.1:4566',
        'stackwatch.cfnLint': 'off',
        'stackwatch.buildTask': 'build',
      }),
      PLACE,
    );
    assert.equal(settings.buildTask, 'build');
    const aws = settings.settings as AwsStackSettings;
    assert.equal(aws.templatePath, join('/work/app', 'infra/template.yaml'));
    assert.equal(aws.parametersFile, '/abs/params.json');
    assert.deepEqual(aws.parameters, { Stage: 'dev', Size: '3', Debug: 'false', Zones: 'a,b' });
    assert.deepEqual(aws.capabilities, ['CAPABILITY_IAM']);
    assert.equal(aws.autoExecute, true);
    assert.equal(aws.autoExecuteDestructive, true);
    assert.equal(aws.cfnLint, 'off');
    assert.equal(aws.endpoint, 'http://127.0.0.1:4566');
  });

  it('defaults: no auto-execute, destructive changes wait, cfn-lint on, template.yaml', () => {
    const aws = parseWorkspaceSettings(readerOf(AWS_BASE), PLACE).settings as AwsStackSettings;
    assert.equal(aws.autoExecute, false);
    assert.equal(aws.autoExecuteDestructive, false);
    assert.equal(aws.cfnLint, 'auto');
    assert.equal(aws.templatePath, join('/work/app', 'template.yaml'));
    assert.deepEqual(aws.parameters, {});
    assert.deepEqual(aws.capabilities, []);
    assert.equal(aws.endpoint, undefined);
  });

  it('"false" as a string never turns into auto-execute', () => {
    const error = refusal({ ...AWS_BASE, 'stackwatch.autoExecute': 'false' });
    assert.equal(error.message, 'stackwatch.autoExecute must be true or false, not the string "false".');
    assert.equal(error.hint, 'In settings.json write "stackwatch.autoExecute": false (without quotes).');
    assert.equal(toErrorInfo(error).setting, 'stackwatch.autoExecute');
    assert.equal(toErrorInfo(error).code, 'Template');
  });

  it('takes the region from AWS_REGION when none is set, and checks it under that name', () => {
    const aws = parseWorkspaceSettings(readerOf({ 'stackwatch.stackName': 'a' }), { ...PLACE, env: { AWS_REGION: 'eu-west-2' } }).settings as AwsStackSettings;
    assert.equal(aws.region, 'eu-west-2');
    const error = refusal({ 'stackwatch.stackName': 'a' }, { AWS_REGION: 'Frankfurt' });
    assert.equal(error.setting, 'AWS_REGION');
    assert.match(error.message, /^AWS_REGION "Frankfurt" is not a region name such as us-east-1\.$/);
  });

  it('reports a missing stack name or region as missing (the first-run flow asks for those)', () => {
    assert.equal(refusal({ 'stackwatch.aws.region': 'us-east-1' }).problem, 'missing');
    assert.equal(refusal({ 'stackwatch.stackName': 'a' }).problem, 'missing');
    assert.equal(refusal({ ...AWS_BASE, 'stackwatch.stackName': 'a b' }).problem, 'invalid');
  });

  it('checks every setting before reporting a missing one, so a wrong value is not hidden behind it', () => {
    const error = refusal({ 'stackwatch.autoExecute': 'true' });
    assert.equal(error.setting, 'stackwatch.autoExecute');
  });

  it("ignores the other provider's settings", () => {
    assert.doesNotThrow(() => parseWorkspaceSettings(readerOf({ ...AWS_BASE, 'stackwatch.gcp.inputValues': 'oops' }), PLACE));
    assert.doesNotThrow(() =>
      parseWorkspaceSettings(readerOf({ 'stackwatch.provider': 'gcp', 'stackwatch.gcp.deploymentId': 'd', 'stackwatch.capabilities': 'oops' }), PLACE),
    );
  });
});

describe('reading Google Cloud settings', () => {
  it('reads good settings, the deployment ID falling back to the stack name', () => {
    const gcp = parseWorkspaceSettings(
      readerOf({
        'stackwatch.provider': 'gcp',
        'stackwatch.stackName': 'orders',
        'stackwatch.gcp.blueprintFolder': 'infra',
        'stackwatch.gcp.inputValues': { replicas: 2, zones: ['a'] },
        'stackwatch.gcp.endpoint': 'http://127.0.0.1:4567/',
      }),
      PLACE,
    ).settings as GcpStackSettings;
    assert.equal(gcp.deploymentName, 'orders');
    assert.equal(gcp.location, 'us-central1');
    assert.equal(gcp.blueprintFolder, join('/work/app', 'infra'));
    assert.deepEqual(gcp.inputValues, { replicas: 2, zones: ['a'] });
    assert.equal(gcp.autoExecute, false);
    assert.equal(gcp.autoExecuteDestructive, false);
  });

  it('gcp.inputValues must be an object, and its content is never quoted', () => {
    const error = refusal({ 'stackwatch.provider': 'gcp', 'stackwatch.gcp.deploymentId': 'd', 'stackwatch.gcp.inputValues': 'db_password=hunter2' });
    assert.equal(error.setting, 'stackwatch.gcp.inputValues');
    assert.match(error.message, /^stackwatch\.gcp\.inputValues must be an object, e\.g\. \{ "region": "us-central1" \}, not a string \(19 characters\)\.$/);
    assert.ok(!`${error.message}${error.hint}`.includes('hunter2'));
  });
});

describe('values in messages', () => {
  it('are quoted to at most MAX_QUOTE characters, with the full length', () => {
    const huge = `a${'b'.repeat(1_000_000)}`;
    const error = refusal({ ...AWS_BASE, 'stackwatch.stackName': huge });
    assert.ok(error.message.length < MAX_QUOTE + 200, `${error.message.length} characters`);
    assert.match(error.message, /… \(1,000,001 characters\) is 1000001 characters long; the limit is 128\.$/);
  });

  it('parameter values are described by kind, never quoted (they may be NoEcho secrets)', () => {
    const error = refusal({ ...AWS_BASE, 'stackwatch.parameters': { DbPassword: { value: 'hunter2' } } });
    assert.equal(
      error.message,
      'stackwatch.parameters sets "DbPassword" to an object; a parameter value must be a string, a number, true/false, or a list of those (for a CommaDelimitedList).',
    );
    const whole = refusal({ ...AWS_BASE, 'stackwatch.parameters': 'DbPassword=hunter2' });
    assert.ok(!whole.message.includes('hunter2'), whole.message);
  });
});

describe('endpoint problems', () => {
  const cases: [string, RegExp][] = [
    ['127.0.0.1:4566', /^has no scheme/],
    ['localhost:4566', /^has no scheme/],
    ['http:/localhost:4566', /^needs two slashes after "http:"/],
    ['ftp://localhost', /^uses the scheme "ftp:"/],
    ['http://', /^has no host name/],
    ['http:///path', /^has no host name/],
    ['http://local host:4566', /^contains a space at position 13/],
    [' http://localhost:4566', /^contains a space at position 1/],
    ['http://localhost:4566\n', /^contains a line break/],
    ['http://localhost:99999', /^has port 99999, outside 1–65535/],
    ['http://localhost:', /^has a ":" but no port number/],
    ['http://[::1:4566', /^has a host name or port that is not valid/],
    ['http://user:pw@localhost', /^contains a user name or password/],
    ['http://localhost:4566/?x=1', /^has a query/],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)}`, () => assert.match(endpointProblem(value)?.problem ?? 'accepted', expected));
  }

  it('accepts what the SDKs accept', () => {
    for (const value of ['http://127.0.0.1:4566', 'https://cloudformation.us-east-1.amazonaws.com', 'http://[::1]:4566/', 'http://localhost:4567/base/'])
      assert.equal(endpointProblem(value), undefined, value);
  });

  it('says what to write instead, and never quotes a password', () => {
    const noScheme = refusal({ ...AWS_BASE, 'stackwatch.aws.endpoint': '127.0.0.1:4566' });
    assert.equal(noScheme.message, 'stackwatch.aws.endpoint "127.0.0.1:4566" has no scheme; it must start with http:// or https://.');
    assert.equal(noScheme.hint, 'Did you mean "http://127.0.0.1:4566"? Or clear stackwatch.aws.endpoint.');
    const secret = refusal({ ...AWS_BASE, 'stackwatch.aws.endpoint': 'http://me:s3cret@localhost:4566' });
    assert.ok(!`${secret.message}${secret.hint}`.includes('s3cret'), secret.message);
  });
});
