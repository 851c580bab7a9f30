import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemplate, type LoadedTemplate } from '../../src/providers/aws/template/loadTemplate';
import { readProvidedValues, requiredWithoutValue, resolveParameters, type ParameterSettings } from '../../src/providers/aws/template/parameters';
import { fixture, lineContaining } from '../fixtures/templates/fixtures';
import { templateError } from '../support/templateErrors';

const TEMPLATE = 'required-params.yaml';
const VALID = { Environment: 'dev', DbPassword: 'correct-horse-battery' };

async function resolve(template: LoadedTemplate, settings: ParameterSettings, stackExists = false) {
  return resolveParameters(template, await readProvidedValues(settings), { stackExists });
}

describe('parameters', () => {
  let template: LoadedTemplate;
  let dir: string;
  before(async () => {
    template = await loadTemplate(fixture(TEMPLATE));
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-params-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  describe('sources', () => {
    it('settings alone; Defaults are left to CloudFormation', async () => {
      const resolved = await resolve(template, { parameters: VALID });
      assert.deepEqual(resolved.parameters, [
        { key: 'Environment', value: 'dev' },
        { key: 'DbPassword', value: 'correct-horse-battery', secret: true },
      ]);
      assert.deepEqual(resolved.warnings, []);
    });

    it('AWS CLI file, with settings winning', async () => {
      const resolved = await resolve(template, { parameters: { InstanceCount: '5' }, parametersFile: fixture('params-cli.json') });
      assert.deepEqual(resolved.parameters, [
        { key: 'Environment', value: 'staging' },
        { key: 'DbPassword', value: 'correct-horse-battery', secret: true },
        { key: 'InstanceCount', value: '5' },
      ]);
    });

    it('CodePipeline file', async () => {
      const resolved = await resolve(template, { parameters: {}, parametersFile: fixture('params-codepipeline.json') });
      assert.deepEqual(resolved.parameters, [
        { key: 'Environment', value: 'prod' },
        { key: 'DbPassword', value: 'correct-horse-battery', secret: true },
        { key: 'Zones', value: 'a,c' },
      ]);
    });

    it('plain YAML file: numbers and lists become strings; unknown keys are warnings with a suggestion', async () => {
      const resolved = await resolve(template, { parameters: { Extra: 'x' }, parametersFile: fixture('params-plain.yaml') });
      assert.deepEqual(resolved.parameters, [
        { key: 'Environment', value: 'dev' },
        { key: 'DbPassword', value: 'correct-horse-battery', secret: true },
        { key: 'InstanceCount', value: '3' },
        { key: 'Ports', value: '8080,8443' },
      ]);
      const line = lineContaining('params-plain.yaml', 'InstanceCuont');
      assert.deepEqual(resolved.warnings, [
        `params-plain.yaml:${line} sets parameter InstanceCuont, which ${TEMPLATE} does not declare; it is not sent. Did you mean InstanceCount?`,
        `stackwatch.parameters sets parameter Extra, which ${TEMPLATE} does not declare; it is not sent.`,
      ]);
    });

    it('plain JSON file', async () => {
      const path = await write('plain.json', JSON.stringify({ Environment: 'prod', DbPassword: 'correct-horse-battery', InstanceCount: 7 }));
      const resolved = await resolve(template, { parameters: {}, parametersFile: path });
      assert.deepEqual(
        resolved.parameters.map((p) => `${p.key}=${p.value}`),
        ['Environment=prod', 'DbPassword=correct-horse-battery', 'InstanceCount=7'],
      );
    });
  });

  describe('required parameters', () => {
    it('a missing one names the parameter, its line and both settings', async () => {
      const error = await templateError(() => resolve(template, { parameters: { Environment: 'dev' } }));
      const line = lineContaining(TEMPLATE, '  DbPassword:');
      assert.equal(
        error.message,
        `${TEMPLATE}:${line}: Parameter DbPassword (declared at ${TEMPLATE}:${line}) has no value and no Default. Set it in stackwatch.parameters, or in the file named by stackwatch.parametersFile.`,
      );
      assert.equal(error.setting, 'stackwatch.parameters');
      assert.equal(error.line, line);
      assert.equal(error.file, fixture(TEMPLATE));
    });

    it('several missing ones are listed together', async () => {
      const error = await templateError(() => resolve(template, { parameters: {} }));
      assert.match(
        error.message,
        /Parameters Environment \(declared at required-params\.yaml:3\), DbPassword \(declared at required-params\.yaml:6\) have no value/,
      );
      assert.deepEqual(requiredWithoutValue(template, await readProvidedValues({ parameters: {} })), ['Environment', 'DbPassword']);
    });

    it('on an existing stack they keep their previous values', async () => {
      const resolved = await resolve(template, { parameters: { Environment: 'prod' } }, true);
      assert.deepEqual(resolved.parameters, [
        { key: 'Environment', value: 'prod' },
        { key: 'DbPassword', value: '', usePrevious: true, secret: true },
      ]);
    });

    it('UsePreviousValue from a file: kept on an existing stack, an error for a new one', async () => {
      const settings = { parameters: {}, parametersFile: fixture('params-use-previous.json') };
      assert.deepEqual((await resolve(template, settings, true)).parameters[1], { key: 'DbPassword', value: '', usePrevious: true, secret: true });
      const error = await templateError(() => resolve(template, settings, false));
      assert.match(
        error.message,
        /^params-use-previous\.json:3:\d+: Parameter DbPassword asks for its previous value \(params-use-previous\.json:3\), but the stack does not exist yet/,
      );
    });
  });

  describe('constraints say which parameter, which constraint and where the value came from', () => {
    const declared = (name: string): number => lineContaining(TEMPLATE, `  ${name}:`);

    it('AllowedValues, from a setting', async () => {
      const error = await templateError(() => resolve(template, { parameters: { ...VALID, Environment: 'qa' } }));
      assert.equal(
        error.message,
        `${TEMPLATE}:${declared('Environment')}: Parameter Environment = "qa" (from stackwatch.parameters): the value is not one of the AllowedValues: dev, staging, prod. Declared at ${TEMPLATE}:${declared('Environment')}.`,
      );
      assert.equal(error.setting, 'stackwatch.parameters');
    });

    it('MaxValue, from the file: points at the value in the file', async () => {
      const error = await templateError(() => resolve(template, { parameters: {}, parametersFile: fixture('params-bad-value.json') }));
      const line = lineContaining('params-bad-value.json', 'InstanceCount');
      assert.match(
        error.message,
        new RegExp(
          `^params-bad-value\\.json:${line}:\\d+: Parameter InstanceCount = "40" \\(from params-bad-value\\.json:${line}\\): 40 is more than the MaxValue of 10\\.`,
        ),
      );
      assert.equal(error.file, fixture('params-bad-value.json'));
      assert.equal(error.setting, 'stackwatch.parametersFile');
    });

    it('MinValue and Type: Number', async () => {
      const low = await templateError(() => resolve(template, { parameters: { ...VALID, InstanceCount: '0' } }));
      assert.match(low.message, /Parameter InstanceCount = "0" \(from stackwatch\.parameters\): 0 is less than the MinValue of 1\./);
      const notNumber = await templateError(() => resolve(template, { parameters: { ...VALID, InstanceCount: 'three' } }));
      assert.match(notNumber.message, /Parameter InstanceCount = "three" .*: the value is not a number \(Type: Number\)\./);
    });

    it('List<Number> checks every item', async () => {
      const error = await templateError(() => resolve(template, { parameters: { ...VALID, Ports: '80, https' } }));
      assert.match(error.message, /Parameter Ports = "80, https" .*: item "https" is not a number \(Type: List<Number>\)\./);
    });

    it('AllowedValues apply to each item of a CommaDelimitedList', async () => {
      const error = await templateError(() => resolve(template, { parameters: { ...VALID, Zones: 'a,d' } }));
      assert.match(error.message, /Parameter Zones = "a,d" .*: item "d" is not one of the AllowedValues: a, b, c\./);
    });

    it('AllowedPattern, with the ConstraintDescription', async () => {
      const error = await templateError(() => resolve(template, { parameters: { ...VALID, AlertEmail: 'ops-at-example' } }));
      assert.match(
        error.message,
        /Parameter AlertEmail = "ops-at-example" .*: the value does not match the AllowedPattern .* The template says: must be an email address\./,
      );
    });

    it('MinLength and MaxLength never echo a NoEcho value, nor its length', async () => {
      const short = await templateError(() => resolve(template, { parameters: { ...VALID, DbPassword: 'hunter2' } }));
      assert.match(short.message, /Parameter DbPassword = \(a NoEcho value\) \(from stackwatch\.parameters\): the value is shorter than the MinLength of 12\./);
      assert.ok(!short.message.includes('hunter2'));
      const long = await templateError(() => resolve(template, { parameters: { ...VALID, DbPassword: 'x'.repeat(65) } }));
      assert.match(long.message, /the value is longer than the MaxLength of 64/);
      assert.ok(!long.message.includes('65'), long.message);
    });

    it('a Default that breaks its own constraint points at the Default', async () => {
      const path = await write(
        'bad-default.yaml',
        'Parameters:\n  Size:\n    Type: Number\n    MaxValue: 5\n    Default: 9\nResources:\n  T:\n    Type: AWS::SNS::Topic\n',
      );
      const loaded = await loadTemplate(path);
      const error = await templateError(async () => resolveParameters(loaded, await readProvidedValues({ parameters: {} }), { stackExists: false }));
      assert.equal(error.message, 'bad-default.yaml:5: Parameter Size: its Default "9" fails its own constraint: 9 is more than the MaxValue of 5.');
    });

    it('several problems: the first is reported, the rest counted and each put in Problems at its line', async () => {
      const error = await templateError(() => resolve(template, { parameters: { Environment: 'qa', DbPassword: 'short', InstanceCount: '99' } }));
      assert.match(error.message, /Parameter Environment = "qa".* There are 2 more parameter problems, on lines \d+ and \d+; the Problems panel lists each\.$/);
      assert.deepEqual(
        error.moreProblems?.map((p) => [p.message.split(' ')[1], p.line]),
        [
          ['DbPassword', template.lineOf('Parameters', 'DbPassword')],
          ['InstanceCount', template.lineOf('Parameters', 'InstanceCount')],
        ],
      );
    });
  });

  describe('parameters file errors', () => {
    it('missing file names stackwatch.parametersFile', async () => {
      const error = await templateError(() => readProvidedValues({ parameters: {}, parametersFile: join(dir, 'nope.json') }));
      assert.match(error.message, /^nope\.json: The parameters file does not exist/);
      assert.equal(error.setting, 'stackwatch.parametersFile');
    });

    it('unparseable file gives file:line', async () => {
      const error = await templateError(() => readProvidedValues({ parameters: {}, parametersFile: fixture('params-broken.json') }));
      const line = lineContaining('params-broken.json', 'correct-horse-battery');
      assert.match(error.message, new RegExp(`^params-broken\\.json:${line}:\\d+: Cannot read the parameters file: JSON syntax error: Trailing comma`));
      assert.equal(error.setting, 'stackwatch.parametersFile');
    });

    it('a bad shape names the item and the accepted shapes', async () => {
      const path = await write('shape.json', '[\n  {"ParameterValue": "x"}\n]\n');
      const error = await templateError(() => readProvidedValues({ parameters: {}, parametersFile: path }));
      assert.equal(error.message, 'shape.json:2:3: Item 1 has no ParameterKey.');
      assert.match(error.hint ?? '', /AWS CLI shape/);
      const nested = await write('nested.yaml', 'Environment:\n  value: dev\n');
      const nestedError = await templateError(() => readProvidedValues({ parameters: {}, parametersFile: nested }));
      assert.equal(nestedError.message, 'nested.yaml:1:1: The value of Environment must be a string (or a list of strings), but it is a mapping.');
    });

    it('a non-string setting value names the setting', async () => {
      const error = await templateError(() => readProvidedValues({ parameters: { Environment: { nested: true } as unknown as string } }));
      assert.match(error.message, /stackwatch\.parameters sets Environment to an object; parameter values must be strings\./);
      assert.equal(error.setting, 'stackwatch.parameters');
    });
  });

  describe('a stackwatch.parameters setting that is not an object stops the deployment instead of deploying the Defaults', () => {
    for (const [kind, raw, says] of [
      ['a string', 'Environment=prod', /must be an object of parameter names to values, but it is the string "Environment=prod"/],
      ['a list', ['Environment=prod'], /but it is a list/],
      ['a number', 42, /but it is the number 42/],
      ['a 1 MB string', 'x'.repeat(1_048_576), /but it is the string "x+…"/],
    ] as const) {
      it(kind, async () => {
        const error = await templateError(readProvidedValues({ parameters: raw as unknown as ParameterSettings['parameters'] }));
        assert.match(error.message, says);
        assert.ok(error.message.length < 300, `${error.message.length} chars`);
        assert.equal(error.setting, 'stackwatch.parameters');
        assert.match(error.hint ?? '', /"stackwatch\.parameters": \{ "Environment": "dev" \}/);
      });
    }
  });
});
