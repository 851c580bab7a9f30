import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { InitializeInput } from '../../src/deployment/machine';
import { ProviderError, type TargetCondition } from '../../src/providers/provider';
import type { ValidateRequest, ValidateResult } from '../../src/providers/aws/template/validation';
import { TEMPLATE_BODY_LIMIT_BYTES } from '../../src/providers/aws/templateLocation';
import { createTemplateInitializer, type TemplateInitializerOptions } from '../../src/providers/aws/template/initialize';
import { fixture, lineContaining } from '../fixtures/templates/fixtures';
import { templateError } from '../support/templateErrors';

function settingsFor(overrides: Partial<AwsStackSettings> = {}): AwsStackSettings {
  return {
    provider: 'aws',
    templatePath: fixture('s3-sqs-lambda.yaml'),
    stackName: 'uploads',
    region: 'eu-west-1',
    parameters: { AlertEmail: 'ops@example.com' },
    capabilities: [],
    autoExecute: false,
    cfnLint: 'auto',
    ...overrides,
  };
}

function inputFor(name = 'uploads'): InitializeInput {
  return { target: { provider: 'aws', name, region: 'eu-west-1' }, deploymentId: 'deployment-1', round: 0 };
}

/** Records the requests it gets; answers with `result` or rejects with `error`. */
function validatorStub(answer: { result?: Partial<ValidateResult>; error?: Error } = {}) {
  const requests: ValidateRequest[] = [];
  return {
    requests,
    async validate(request: ValidateRequest): Promise<ValidateResult> {
      requests.push(request);
      if (answer.error) throw answer.error;
      return { parameters: [], requiredCapabilities: [], ...answer.result };
    },
  };
}

const signal = (): AbortSignal => new AbortController().signal;

describe('createTemplateInitializer', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-init-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the exact template, parameters, the union of capabilities and the warnings', async () => {
    const validator = validatorStub({ result: { requiredCapabilities: ['CAPABILITY_NAMED_IAM'] } });
    const settings = settingsFor({ capabilities: ['CAPABILITY_AUTO_EXPAND'], parameters: { AlertEmail: 'ops@example.com', Unknown: 'x' } });
    const controller = new AbortController();
    const result = await createTemplateInitializer(settings, validator)(inputFor(), controller.signal);

    assert.equal(result.template.path, 's3-sqs-lambda.yaml');
    assert.equal(result.template.format, 'yaml');
    assert.deepEqual(result.parameters, [{ key: 'AlertEmail', value: 'ops@example.com' }]);
    assert.deepEqual(result.capabilities, ['CAPABILITY_AUTO_EXPAND', 'CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    assert.deepEqual(result.warnings, ['stackwatch.parameters sets parameter Unknown, which s3-sqs-lambda.yaml does not declare; it is not sent.']);
    assert.equal(validator.requests.length, 1);
    assert.equal(validator.requests[0].template, result.template, 'validates exactly what will be submitted');
    assert.equal(validator.requests[0].signal, controller.signal);
    assert.deepEqual(validator.requests[0].target, inputFor().target);
  });

  it('checks the stack name first, before reading anything', async () => {
    const validator = validatorStub();
    const settings = settingsFor({ templatePath: join(dir, 'does-not-exist.yaml') });
    const error = await templateError(createTemplateInitializer(settings, validator)(inputFor('my_stack'), signal()));
    assert.equal(error.setting, 'stackwatch.stackName');
    assert.match(error.message, /contains '_' at position 3/);
    assert.equal(validator.requests.length, 0);
  });

  it('a template over 51,200 bytes needs stackwatch.aws.templateBucket; with one it goes on', async () => {
    const path = join(dir, 'big.yaml');
    const padding = Array.from({ length: 600 }, (_, i) => `      - Key: tag${i}\n        Value: ${'x'.repeat(60)}`).join('\n');
    await writeFile(path, `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n${padding}\n`);
    const validator = validatorStub();
    const error = await templateError(createTemplateInitializer(settingsFor({ templatePath: path, parameters: {} }), validator)(inputFor(), signal()));
    assert.match(
      error.message,
      /^big\.yaml: The template is \d{2},\d{3} bytes; CloudFormation accepts at most 51,200 bytes inline\. Set stackwatch\.aws\.templateBucket/,
    );
    assert.equal(error.setting, 'stackwatch.aws.templateBucket');
    assert.equal(error.file, path);
    assert.equal(validator.requests.length, 0);

    const withBucket = await createTemplateInitializer(settingsFor({ templatePath: path, parameters: {}, templateBucket: 'my-templates' }), validator)(
      inputFor(),
      signal(),
    );
    assert.ok(withBucket.template.sizeBytes > TEMPLATE_BODY_LIMIT_BYTES);
    assert.equal(validator.requests.length, 1);
  });

  describe('parameters and the existing stack', () => {
    const settings = settingsFor({ templatePath: fixture('required-params.yaml'), parameters: { Environment: 'prod' } });

    it('without describeCondition a missing required parameter is an error naming both settings', async () => {
      const error = await templateError(createTemplateInitializer(settings, validatorStub())(inputFor(), signal()));
      assert.match(
        error.message,
        /Parameter DbPassword \(declared at required-params\.yaml:6\) has no value and no Default\. Set it in stackwatch\.parameters, or in the file named by stackwatch\.parametersFile\./,
      );
    });

    it('asks describeCondition only when needed; a ready stack keeps previous values', async () => {
      const asked: string[] = [];
      const describeCondition =
        (condition: TargetCondition): TemplateInitializerOptions['describeCondition'] =>
        async (target) => {
          asked.push(target.name);
          return condition;
        };
      const ready = await createTemplateInitializer(settings, validatorStub(), { describeCondition: describeCondition('ready') })(inputFor(), signal());
      assert.deepEqual(ready.parameters, [
        { key: 'Environment', value: 'prod' },
        { key: 'DbPassword', value: '', usePrevious: true, secret: true },
      ]);
      assert.deepEqual(asked, ['uploads']);

      await templateError(createTemplateInitializer(settings, validatorStub(), { describeCondition: describeCondition('missing') })(inputFor(), signal()));
      assert.equal(asked.length, 2);

      const complete = settingsFor({ templatePath: fixture('required-params.yaml'), parameters: { Environment: 'prod', DbPassword: 'correct-horse-battery' } });
      await createTemplateInitializer(complete, validatorStub(), { describeCondition: describeCondition('ready') })(inputFor(), signal());
      assert.equal(asked.length, 2, 'not asked when every parameter has a value');
    });
  });

  it('announces cfn-lint as the background check that runs beside staging; stackwatch.cfnLint off announces it skipped', async () => {
    const auto = await createTemplateInitializer(settingsFor(), validatorStub())(inputFor(), signal());
    assert.deepEqual(auto.check, { label: 'Checking with cfn-lint' });
    const off = await createTemplateInitializer(settingsFor({ cfnLint: 'off' }), validatorStub())(inputFor(), signal());
    assert.deepEqual(off.check, { label: 'Checking with cfn-lint', skipped: 'turned off' });
  });

  describe('provider validation', () => {
    it('a Validation error becomes an InputError at the line of the resource it names', async () => {
      const rejection = new ProviderError(
        'Validation',
        'ValidateTemplate: Template format error: Unresolved resource dependencies [UploadQueuePolicy] in the Resources block of the template',
        {
          hint: 'Check the resource.',
        },
      );
      const error = await templateError(createTemplateInitializer(settingsFor(), validatorStub({ error: rejection }))(inputFor(), signal()));
      const line = lineContaining('s3-sqs-lambda.yaml', '  UploadQueuePolicy:');
      assert.equal(error.line, line);
      assert.equal(error.message, `s3-sqs-lambda.yaml:${line}: CloudFormation rejected the template: ${rejection.message}`);
      assert.equal(error.hint, 'Check the resource.');
      assert.equal(error.cause, rejection);
    });

    it('a Validation error naming nothing in the template still names the file', async () => {
      const rejection = new ProviderError('Validation', 'ValidateTemplate: Template format error: unsupported structure.');
      const error = await templateError(createTemplateInitializer(settingsFor(), validatorStub({ error: rejection }))(inputFor(), signal()));
      assert.equal(error.line, undefined);
      assert.match(error.message, /^s3-sqs-lambda\.yaml: CloudFormation rejected the template/);
    });

    it('other provider errors pass through unchanged, so the machine can retry them', async () => {
      const throttled = new ProviderError('Throttling', 'Rate exceeded');
      await assert.rejects(
        createTemplateInitializer(settingsFor(), validatorStub({ error: throttled }))(inputFor(), signal()),
        (error: unknown) => error === throttled,
      );
    });
  });

  it('an aborted signal stops before any work', async () => {
    const controller = new AbortController();
    const reason = new Error('left the state');
    controller.abort(reason);
    const validator = validatorStub();
    await assert.rejects(createTemplateInitializer(settingsFor(), validator, {})(inputFor(), controller.signal), (error: unknown) => error === reason);
    assert.equal(validator.requests.length, 0);
  });
});
