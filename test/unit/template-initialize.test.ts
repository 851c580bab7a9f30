import { cfnLintProblem, skipOutsideCi } from '../../scripts/testTools';
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { InitializeInput } from '../../src/deployment/machine';
import { ProviderError, type TargetCondition } from '../../src/providers/provider';
import type { ValidateRequest, ValidateResult } from '../../src/providers/aws/template/validation';
import type { LintResult, runCfnLint } from '../../src/providers/aws/template/cfnLint';
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

/** A cfn-lint stand-in that answers `result` and counts its calls. */
function lintStub(result: Partial<LintResult> = {}) {
  const calls: string[] = [];
  const lint: typeof runCfnLint = async (path) => {
    calls.push(path);
    return { available: true, errors: [], warnings: [], ...result };
  };
  return { lint, calls };
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
    const { lint } = lintStub({ warnings: [{ rule: 'W3005', message: 'Obsolete DependsOn on resource (UploadQueuePolicy)', line: 28, column: 5 }] });
    const settings = settingsFor({ capabilities: ['CAPABILITY_AUTO_EXPAND'], parameters: { AlertEmail: 'ops@example.com', Unknown: 'x' } });
    const controller = new AbortController();
    const result = await createTemplateInitializer(settings, validator, { lint })(inputFor(), controller.signal);

    assert.equal(result.template.path, 's3-sqs-lambda.yaml');
    assert.equal(result.template.format, 'yaml');
    assert.deepEqual(result.parameters, [{ key: 'AlertEmail', value: 'ops@example.com' }]);
    assert.deepEqual(result.capabilities, ['CAPABILITY_AUTO_EXPAND', 'CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    assert.deepEqual(result.warnings, [
      'stackwatch.parameters sets parameter Unknown, which s3-sqs-lambda.yaml does not declare; it is not sent.',
      's3-sqs-lambda.yaml:28: W3005 Obsolete DependsOn on resource (UploadQueuePolicy)',
    ]);
    assert.equal(validator.requests.length, 1);
    assert.equal(validator.requests[0].template, result.template, 'validates exactly what will be submitted');
    assert.equal(validator.requests[0].signal, controller.signal);
    assert.deepEqual(validator.requests[0].target, inputFor().target);
  });

  it('checks the stack name first, before reading anything', async () => {
    const validator = validatorStub();
    const { lint, calls } = lintStub();
    const settings = settingsFor({ templatePath: join(dir, 'does-not-exist.yaml') });
    const error = await templateError(createTemplateInitializer(settings, validator, { lint })(inputFor('my_stack'), signal()));
    assert.equal(error.setting, 'stackwatch.stackName');
    assert.match(error.message, /contains '_' at position 3/);
    assert.equal(calls.length + validator.requests.length, 0);
  });

  it('a template over 51,200 bytes needs stackwatch.aws.templateBucket; with one it goes on', async () => {
    const path = join(dir, 'big.yaml');
    const padding = Array.from({ length: 600 }, (_, i) => `      - Key: tag${i}\n        Value: ${'x'.repeat(60)}`).join('\n');
    await writeFile(path, `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n${padding}\n`);
    const validator = validatorStub();
    const { lint } = lintStub();
    const error = await templateError(
      createTemplateInitializer(settingsFor({ templatePath: path, parameters: {} }), validator, { lint })(inputFor(), signal()),
    );
    assert.match(
      error.message,
      /^big\.yaml: The template is \d{2},\d{3} bytes; CloudFormation accepts at most 51,200 bytes inline\. Set stackwatch\.aws\.templateBucket/,
    );
    assert.equal(error.setting, 'stackwatch.aws.templateBucket');
    assert.equal(error.file, path);
    assert.equal(validator.requests.length, 0);

    const withBucket = await createTemplateInitializer(settingsFor({ templatePath: path, parameters: {}, templateBucket: 'my-templates' }), validator, {
      lint,
    })(inputFor(), signal());
    assert.ok(withBucket.template.sizeBytes > TEMPLATE_BODY_LIMIT_BYTES);
    assert.equal(validator.requests.length, 1);
  });

  describe('parameters and the existing stack', () => {
    const settings = settingsFor({ templatePath: fixture('required-params.yaml'), parameters: { Environment: 'prod' } });

    it('without describeCondition a missing required parameter is an error naming both settings', async () => {
      const { lint } = lintStub();
      const error = await templateError(createTemplateInitializer(settings, validatorStub(), { lint })(inputFor(), signal()));
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
      const { lint } = lintStub();
      const ready = await createTemplateInitializer(settings, validatorStub(), { lint, describeCondition: describeCondition('ready') })(inputFor(), signal());
      assert.deepEqual(ready.parameters, [
        { key: 'Environment', value: 'prod' },
        { key: 'DbPassword', value: '', usePrevious: true, secret: true },
      ]);
      assert.deepEqual(asked, ['uploads']);

      await templateError(
        createTemplateInitializer(settings, validatorStub(), { lint, describeCondition: describeCondition('missing') })(inputFor(), signal()),
      );
      assert.equal(asked.length, 2);

      const complete = settingsFor({ templatePath: fixture('required-params.yaml'), parameters: { Environment: 'prod', DbPassword: 'correct-horse-battery' } });
      await createTemplateInitializer(complete, validatorStub(), { lint, describeCondition: describeCondition('ready') })(inputFor(), signal());
      assert.equal(asked.length, 2, 'not asked when every parameter has a value');
    });
  });

  describe('cfn-lint', () => {
    it('errors block with the first error and the count of the others', async () => {
      const validator = validatorStub();
      const { lint } = lintStub({
        errors: [
          { rule: 'E3002', message: "Additional properties are not allowed ('BucketNam' was unexpected)", line: 6, column: 7 },
          { rule: 'E3012', message: "'thirty' is not of type 'integer'", line: 10, column: 7 },
        ],
      });
      const error = await templateError(
        createTemplateInitializer(settingsFor({ templatePath: fixture('lint-errors.yaml'), parameters: {} }), validator, { lint })(inputFor(), signal()),
      );
      assert.equal(
        error.message,
        `lint-errors.yaml:6:7: E3002 Additional properties are not allowed ('BucketNam' was unexpected) (and 1 more cfn-lint error; run "cfn-lint lint-errors.yaml" to see them all)`,
      );
      assert.equal(error.line, 6);
      assert.equal(error.file, fixture('lint-errors.yaml'));
      assert.match(error.hint ?? '', /stackwatch\.cfnLint/);
      assert.equal(validator.requests.length, 0, 'validation is not reached');
    });

    it('a note (cfn-lint broke) is a warning; stackwatch.cfnLint off skips it', async () => {
      const broken = lintStub({ note: 'cfn-lint failed (exit code 1: boom); the template was not linted.' });
      const noted = await createTemplateInitializer(settingsFor(), validatorStub(), { lint: broken.lint })(inputFor(), signal());
      assert.deepEqual(noted.warnings, ['cfn-lint failed (exit code 1: boom); the template was not linted.']);

      const off = lintStub({ errors: [{ rule: 'E0000', message: 'never seen', line: 1, column: 1 }] });
      await createTemplateInitializer(settingsFor({ cfnLint: 'off' }), validatorStub(), { lint: off.lint })(inputFor(), signal());
      assert.deepEqual(off.calls, []);
    });

    it('real cfn-lint: blocks on errors and reports warnings', async (t) => {
      const problem = cfnLintProblem();
      if (problem) {
        t.skip(skipOutsideCi('the real cfn-lint tests', problem));
        return;
      }
      const error = await templateError(
        createTemplateInitializer(settingsFor({ templatePath: fixture('lint-errors.yaml'), parameters: {} }), validatorStub())(inputFor(), signal()),
      );
      assert.match(
        error.message,
        /^lint-errors\.yaml:6:7: E3002 .*'BucketNam' was unexpected.* \(and 1 more cfn-lint error; run "cfn-lint lint-errors\.yaml" to see them all\)$/,
      );
      const warned = await createTemplateInitializer(settingsFor({ templatePath: fixture('named-iam.json'), parameters: {} }), validatorStub())(
        inputFor(),
        signal(),
      );
      assert.deepEqual(warned.warnings, ['named-iam.json:6: W2001 Parameter Ports not used.']);
      assert.deepEqual(warned.capabilities, ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM']);
    });
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
      const { lint } = lintStub();
      const error = await templateError(createTemplateInitializer(settingsFor(), validatorStub({ error: rejection }), { lint })(inputFor(), signal()));
      const line = lineContaining('s3-sqs-lambda.yaml', '  UploadQueuePolicy:');
      assert.equal(error.line, line);
      assert.equal(error.message, `s3-sqs-lambda.yaml:${line}: CloudFormation rejected the template: ${rejection.message}`);
      assert.equal(error.hint, 'Check the resource.');
      assert.equal(error.cause, rejection);
    });

    it('a Validation error naming nothing in the template still names the file', async () => {
      const { lint } = lintStub();
      const rejection = new ProviderError('Validation', 'ValidateTemplate: Template format error: unsupported structure.');
      const error = await templateError(createTemplateInitializer(settingsFor(), validatorStub({ error: rejection }), { lint })(inputFor(), signal()));
      assert.equal(error.line, undefined);
      assert.match(error.message, /^s3-sqs-lambda\.yaml: CloudFormation rejected the template/);
    });

    it('other provider errors pass through unchanged, so the machine can retry them', async () => {
      const throttled = new ProviderError('Throttling', 'Rate exceeded');
      const { lint } = lintStub();
      await assert.rejects(
        createTemplateInitializer(settingsFor(), validatorStub({ error: throttled }), { lint })(inputFor(), signal()),
        (error: unknown) => error === throttled,
      );
    });
  });

  it('an aborted signal stops before any work', async () => {
    const controller = new AbortController();
    const reason = new Error('left the state');
    controller.abort(reason);
    const validator = validatorStub();
    await assert.rejects(
      createTemplateInitializer(settingsFor(), validator, { lint: lintStub().lint })(inputFor(), controller.signal),
      (error: unknown) => error === reason,
    );
    assert.equal(validator.requests.length, 0);
  });
});
