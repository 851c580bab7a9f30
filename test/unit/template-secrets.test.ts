/**
 * NoEcho on the template side: values are marked secret for everything downstream, outputs that
 * carry them are named as sensitive, and no message the template step writes quotes them.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import { readProvidedValues, resolveParameters } from '../../src/providers/aws/template/parameters';
import { sensitiveOutputKeys } from '../../src/providers/aws/template/sensitiveOutputs';
import { fixture } from '../fixtures/templates/fixtures';
import { templateError } from '../support/templateErrors';

const PASSWORD = 'correct-horse-battery-staple';
const API_KEY = 'sk-live-1234567890';

function settingsFor(templatePath: string, parameters: Record<string, string>): AwsStackSettings {
  return { provider: 'aws', templatePath, stackName: 's', region: 'us-east-1', parameters, capabilities: [], autoExecute: false, cfnLint: 'off' };
}
const validator = { validate: async () => ({ parameters: [], requiredCapabilities: [] }) };
const input = { target: { provider: 'aws' as const, name: 's', region: 'us-east-1' }, deploymentId: 'd', round: 0 };

describe('NoEcho parameters and the outputs that carry them', () => {
  it('outputs deriving from a NoEcho parameter, in short and long form, at any depth, are sensitive; the others are not', async () => {
    const loaded = await loadTemplate(fixture('noecho-outputs.yaml'));
    assert.deepEqual(sensitiveOutputKeys(loaded.document), ['PlainRef', 'SubShort', 'SubVariableFromSecret', 'Joined', 'Encoded', 'Conditional', 'LongForm']);
  });

  it('JSON templates too (Sub nested in Split, Select and Join)', async () => {
    const loaded = await loadTemplate(fixture('noecho-outputs.json'));
    assert.deepEqual(sensitiveOutputKeys(loaded.document), ['Password', 'Url']);
  });

  it('the initializer marks NoEcho values secret (NoEcho: true or "true") and names the sensitive outputs', async () => {
    const initialize = createTemplateInitializer(
      settingsFor(fixture('noecho-outputs.yaml'), { DbPassword: PASSWORD, ApiKey: API_KEY, Environment: 'prod' }),
      validator,
    );
    const result = await initialize(input, new AbortController().signal);
    assert.deepEqual(result.parameters, [
      { key: 'Environment', value: 'prod' },
      { key: 'DbPassword', value: PASSWORD, secret: true },
      { key: 'ApiKey', value: API_KEY, secret: true },
    ]);
    assert.deepEqual(result.sensitiveOutputs, ['PlainRef', 'SubShort', 'SubVariableFromSecret', 'Joined', 'Encoded', 'Conditional', 'LongForm']);
    assert.ok(!JSON.stringify(result.warnings).includes(PASSWORD));
  });

  it('a template without NoEcho parameters has no sensitive outputs', async () => {
    const initialize = createTemplateInitializer(settingsFor(fixture('s3-sqs-lambda.yaml'), { AlertEmail: 'ops@example.com' }), validator);
    const result = await initialize(input, new AbortController().signal);
    assert.deepEqual(result.sensitiveOutputs, []);
    assert.ok(result.parameters.every((parameter) => parameter.secret === undefined));
  });

  describe('constraint messages never quote a NoEcho value', () => {
    const cases: { name: string; template: string; value: string; says: RegExp }[] = [
      {
        name: 'AllowedPattern',
        template: 'Type: String\n    AllowedPattern: "[a-z]+"',
        value: 'Secret-Value-9',
        says: /the value does not match the AllowedPattern/,
      },
      {
        name: 'AllowedValues',
        template: 'Type: String\n    AllowedValues: [alpha, beta]',
        value: 'gamma-secret',
        says: /the value is not one of the AllowedValues: alpha, beta/,
      },
      {
        name: 'list AllowedValues',
        template: 'Type: CommaDelimitedList\n    AllowedValues: [alpha, beta]',
        value: 'alpha,delta-secret',
        says: /item 2 is not one of the AllowedValues/,
      },
      { name: 'Number', template: 'Type: Number', value: 'twelve-secret', says: /the value is not a number/ },
      { name: 'List<Number>', template: 'Type: List<Number>', value: '1,x-secret', says: /item 2 is not a number/ },
      { name: 'MinValue', template: 'Type: Number\n    MinValue: 5000', value: '4321', says: /the value is less than the MinValue of 5000/ },
      { name: 'MaxValue', template: 'Type: Number\n    MaxValue: 10', value: '98765', says: /the value is more than the MaxValue of 10/ },
      { name: 'MaxLength', template: 'Type: String\n    MaxLength: 3', value: 'longsecret', says: /the value is longer than the MaxLength of 3/ },
    ];
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const { writeFile, mkdtemp } = await import('node:fs/promises');
        const { tmpdir } = await import('node:os');
        const path = join(await mkdtemp(join(tmpdir(), 'stackwatch-secret-')), 't.yaml');
        await writeFile(path, `Parameters:\n  Pw:\n    NoEcho: true\n    ${testCase.template}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n`);
        const template = await loadTemplate(path);
        const error = await templateError(async () =>
          resolveParameters(template, await readProvidedValues({ parameters: { Pw: testCase.value } }), { stackExists: false }),
        );
        assert.match(error.message, testCase.says);
        assert.match(error.message, /Parameter Pw = \(a NoEcho value\)/);
        // The whole value, and the offending item of a list (the last one in each case).
        for (const part of [testCase.value, testCase.value.split(',').at(-1) ?? '']) {
          assert.ok(!`${error.message} ${error.hint ?? ''}`.includes(part), `"${part}" leaked: ${error.message}`);
        }
      });
    }
  });
});
