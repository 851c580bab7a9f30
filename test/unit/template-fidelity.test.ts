/**
 * The template step blocks no valid template and catches what it claims to: Rules-section
 * tags, module resource references, JSON duplicate keys, LanguageExtensions functions, and
 * cfn-lint's own crash (E0002) not hiding the real error.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { LintFinding, runCfnLint } from '../../src/providers/aws/template/cfnLint';
import { CfnLintVersions } from '../../src/providers/aws/template/cfnLintVersion';
import { LintResultStore } from '../../src/providers/aws/template/lintCache';
import { createLintCheck } from '../../src/providers/aws/template/lintCheck';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import { fixture, lineContaining } from '../fixtures/templates/fixtures';
import { templateError } from '../support/templateErrors';

describe('template fidelity', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-fidelity-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('accepts the Rules-section short tags as their long forms', async () => {
    const loaded = await loadTemplate(fixture('rules-and-modules.yaml'));
    const assertions = (loaded.document.raw.Rules as { SubnetsInVpc: { Assertions: { Assert: unknown }[] } }).SubnetsInVpc.Assertions;
    assert.deepEqual(assertions[0].Assert, {
      'Fn::EachMemberEquals': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, { Ref: 'Vpc' }],
    });
    assert.deepEqual(assertions[1].Assert, {
      'Fn::EachMemberIn': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, { 'Fn::RefAll': 'AWS::EC2::VPC::Id' }],
    });
    assert.deepEqual(assertions[2].Assert, { 'Fn::Contains': [['test', 'prod'], { Ref: 'Environment' }] });
    assert.deepEqual(assertions[3].Assert, { 'Fn::Contains': [['vpc-1', 'vpc-2'], { 'Fn::ValueOf': ['Vpc', 'VpcId'] }] });
  });

  it('accepts references to a module’s resources, with and without the dot', async () => {
    // loadTemplate rejects an unknown Ref or GetAtt target; here all four forms resolve.
    const loaded = await loadTemplate(fixture('rules-and-modules.yaml'));
    assert.equal(loaded.document.Resources.Storage.Type, 'My::S3::SampleBucket::MODULE');
    const tags = loaded.document.Resources.Queue.Properties?.Tags as { Value: unknown }[];
    assert.deepEqual(loaded.document.Resources.Queue.Properties?.QueueName, { Ref: 'Storage.S3Bucket' });
    assert.deepEqual(
      tags.map((tag) => tag.Value),
      [{ Ref: 'StorageS3Bucket' }, { 'Fn::GetAtt': ['Storage', 'S3Bucket.Arn'] }, { 'Fn::GetAtt': ['StorageS3Bucket', 'Arn'] }],
    );
  });

  it('still rejects a reference that no module explains', async () => {
    const text = `Resources:\n  Storage:\n    Type: AWS::S3::Bucket\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref StorageS3Bucket\n`;
    const error = await templateError(loadTemplate(await write('no-module.yaml', text)));
    assert.equal(error.line, 7);
    assert.match(error.reason, /Ref StorageS3Bucket: the template has no resource/);
  });

  it('a module prefix alone is not a module resource', async () => {
    const text = `Resources:\n  Storage:\n    Type: My::S3::SampleBucket::MODULE\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt Other.Arn\n`;
    const error = await templateError(loadTemplate(await write('module-other.yaml', text)));
    assert.match(error.reason, /Fn::GetAtt Other: the template has no resource named Other/);
  });

  it('JSON duplicate keys are caught at the second one, like YAML’s', async () => {
    const json = `{\n  "Resources": {\n    "Queue": {\n      "Type": "AWS::SQS::Queue",\n      "Properties": { "DelaySeconds": 1 },\n      "Properties": { "DelaySeconds": 2 }\n    }\n  }\n}\n`;
    const error = await templateError(loadTemplate(await write('dup.json', json)));
    assert.equal(
      error.message,
      'dup.json:6:7: Duplicate key "Properties": it is already set at line 5. JSON parsers keep only the last one, and CloudFormation rejects the template.',
    );
    const yaml = `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Queue:\n    Type: AWS::SNS::Topic\n`;
    const yamlError = await templateError(loadTemplate(await write('dup.yaml', yaml)));
    assert.equal(yamlError.line, 4);
  });

  it('the same key in different objects is not a duplicate', async () => {
    const json = `{"Resources": {"A": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1}}, "B": {"Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 1}}}}`;
    const loaded = await loadTemplate(await write('same-keys.json', json));
    assert.deepEqual(Object.keys(loaded.document.Resources), ['A', 'B']);
  });

  it('Fn::ForEach, Fn::ToJsonString and Fn::Length pass with AWS::LanguageExtensions', async () => {
    const loaded = await loadTemplate(fixture('foreach.yaml'));
    assert.deepEqual(loaded.document.Transform, ['AWS::LanguageExtensions']);
  });

  it('Fn::ForEach without the transform names its line, in YAML and JSON', async () => {
    const yaml = (await import('node:fs')).readFileSync(fixture('foreach.yaml'), 'utf8').replace('Transform: AWS::LanguageExtensions\n', '');
    const error = await templateError(loadTemplate(await write('foreach-no-transform.yaml', yaml)));
    assert.equal(error.line, lineContaining('foreach.yaml', 'Fn::ForEach::Queues') - 1);
    assert.match(error.reason, /^Fn::ForEach needs the AWS::LanguageExtensions transform/);
    assert.match(error.hint ?? '', /Transform: AWS::LanguageExtensions/);

    const json = `{\n  "Transform": "AWS::Serverless-2016-10-31",\n  "Resources": {\n    "Keep": { "Type": "AWS::SQS::Queue" },\n    "Fn::ForEach::Topics": ["N", ["A"], {"Topic\${N}": {"Type": "AWS::SNS::Topic"}}]\n  }\n}\n`;
    const jsonError = await templateError(loadTemplate(await write('foreach.json', json)));
    assert.equal(jsonError.line, 5);
  });

  describe('cfn-lint internal error E0002', () => {
    const settings = (templatePath: string): AwsStackSettings => ({
      provider: 'aws',
      templatePath,
      stackName: 's',
      region: 'us-east-1',
      parameters: {},
      capabilities: [],
      autoExecute: false,
      cfnLint: 'auto',
    });
    const lintAnswering =
      (errors: LintFinding[]): typeof runCfnLint =>
      async () => ({ available: true, errors, warnings: [] });
    /** What the machine gives the check: the template as staged (here, as on disk). */
    const checkOf = async (path: string, lint: typeof runCfnLint) => {
      const body = await readFile(path, 'utf8');
      const check = createLintCheck(settings(path), {
        lint,
        executable: process.execPath,
        versions: new CfnLintVersions(undefined, async () => 'cfn-lint 1.0.0', new Map()),
        results: new LintResultStore(undefined, new Map()),
      });
      const input = {
        deploymentId: 'd',
        round: 0,
        template: { path: 'lint-errors.yaml', body, format: 'yaml' as const, sizeBytes: body.length },
        parameters: [],
      };
      return check(input, new AbortController().signal);
    };
    const E0002: LintFinding = {
      rule: 'E0002',
      message: "Unknown exception while processing rule E3012: 'NoneType' object has no attribute 'get'",
      line: 1,
      column: 1,
    };

    it('shows the first real error when E0002 comes first', async () => {
      const lint = lintAnswering([
        E0002,
        { rule: 'E3012', message: "'thirty' is not of type 'integer'", line: 6, column: 7 },
        { rule: 'E3012', message: "'ten' is not of type 'integer'", line: 9, column: 3 },
      ]);
      const error = await templateError(checkOf(fixture('lint-errors.yaml'), lint));
      assert.equal(
        error.message,
        `lint-errors.yaml:6:7: E3012 'thirty' is not of type 'integer'. There is 1 more cfn-lint error, on line 9; the Problems panel lists each.`,
      );
      assert.equal(error.line, 6);
      // The other real error goes to Problems at its own place; cfn-lint's own crash does not.
      assert.deepEqual(error.moreProblems, [{ message: "E3012 'ten' is not of type 'integer'", line: 9, column: 3 }]);
    });

    it('alone, it is labelled as cfn-lint’s internal error and names the setting to turn it off', async () => {
      const lint = lintAnswering([E0002]);
      const error = await templateError(checkOf(fixture('lint-errors.yaml'), lint));
      assert.match(
        error.message,
        /^lint-errors\.yaml:1:1: cfn-lint internal error \(E0002\), a fault in cfn-lint itself: Unknown exception while processing rule E3012/,
      );
      assert.equal(error.setting, 'stackwatch.cfnLint');
      assert.match(error.hint ?? '', /stackwatch\.cfnLint.*"off"/);
    });
  });
});
