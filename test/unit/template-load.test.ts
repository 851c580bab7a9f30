import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { fixture, lineContaining } from '../fixtures/templates/fixtures';
import { templateError } from '../support/templateErrors';

describe('loadTemplate: good templates', () => {
  it('loads YAML with short-form tags, keeps the exact body, and finds lines', async () => {
    const path = fixture('s3-sqs-lambda.yaml');
    const loaded = await loadTemplate(path);
    assert.equal(loaded.source.path, 's3-sqs-lambda.yaml');
    assert.equal(loaded.source.format, 'yaml');
    assert.equal(loaded.absPath, path);
    assert.deepEqual(Object.keys(loaded.document.Resources), [
      'UploadBucket',
      'UploadQueue',
      'UploadQueuePolicy',
      'ProcessorRole',
      'Processor',
      'ProcessorQueueMapping',
    ]);
    assert.deepEqual(loaded.document.Resources.UploadQueue.Properties?.QueueName, { 'Fn::Sub': '${Environment}-uploads' });
    assert.equal(loaded.document.Parameters.RetentionSeconds.Default, '345600', 'numeric Defaults are read as CloudFormation strings');
    assert.deepEqual(loaded.document.Transform, []);
    assert.equal(loaded.lineOf('Resources', 'Processor'), lineContaining('s3-sqs-lambda.yaml', '  Processor:'));
    assert.equal(loaded.lineOf('Parameters', 'AlertEmail'), lineContaining('s3-sqs-lambda.yaml', '  AlertEmail:'));
    assert.equal(loaded.lineOf('Resources', 'Nope'), undefined);
    assert.equal(
      loaded.lineAt(['Resources', 'Processor', 'Properties', 'Role', 'Fn::GetAtt']),
      lineContaining('s3-sqs-lambda.yaml', 'Role: !GetAtt ProcessorRole.Arn'),
    );
  });

  it('loads JSON, with lines for keys', async () => {
    const loaded = await loadTemplate(fixture('named-iam.json'), 'infra/named-iam.json');
    assert.equal(loaded.source.format, 'json');
    assert.equal(loaded.source.path, 'infra/named-iam.json');
    assert.equal(loaded.lineOf('Resources', 'BuildProfile'), lineContaining('named-iam.json', '"BuildProfile"'));
    assert.equal(loaded.lineAt(['Resources', 'BuildProfile', 'Properties', 'Roles', 0, 'Ref']), lineContaining('named-iam.json', '"Roles"'));
  });

  it('accepts references to resources SAM generates', async () => {
    const loaded = await loadTemplate(fixture('sam-api.yaml'));
    assert.deepEqual(loaded.document.Transform, ['AWS::Serverless-2016-10-31']);
  });

  it('sniffs the format of a .template file and counts UTF-8 bytes', async () => {
    const loaded = await loadTemplate(fixture('legacy.template'));
    assert.equal(loaded.source.format, 'json');
    assert.equal(loaded.source.sizeBytes, Buffer.byteLength(loaded.source.body, 'utf8'));
    assert.ok(loaded.source.sizeBytes > loaded.source.body.length, 'the em dash and é take more than one byte');
  });
});

describe('loadTemplate: bad input names the file, line and setting', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-template-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('a missing file names stackwatch.templatePath', async () => {
    const error = await templateError(loadTemplate(join(dir, 'nope.yaml')));
    assert.match(error.message, /^nope\.yaml: The template does not exist/);
    assert.equal(error.setting, 'stackwatch.templatePath');
    assert.match(error.hint ?? '', /Set stackwatch\.templatePath/);
    const info = toErrorInfo(error);
    assert.equal(info.code, 'Template');
    assert.equal(info.setting, 'stackwatch.templatePath');
  });

  it('a folder suggests a template inside it', async () => {
    const error = await templateError(loadTemplate(fixture('.'), 'templates'));
    assert.match(error.message, /templates: The template path is a folder, not a file/);
    assert.equal(error.setting, 'stackwatch.templatePath');
    assert.match(error.hint ?? '', /bad-json\.json/, 'the first likely file in the folder');
  });

  it('an empty file', async () => {
    const error = await templateError(loadTemplate(fixture('empty.yaml')));
    assert.equal(error.message, 'empty.yaml: The template is empty.');
    assert.equal(error.setting, 'stackwatch.templatePath');
  });

  it('malformed YAML gives file:line:column', async () => {
    const error = await templateError(loadTemplate(fixture('bad-yaml.yaml')));
    // The yaml library gives up on the next line; the error points at the [ that is never closed.
    const line = lineContaining('bad-yaml.yaml', 'Tags: [');
    assert.match(error.message, new RegExp(`^bad-yaml\\.yaml:${line}:13: This \\[ is never closed\\. Flow sequence .* end with a \\]`));
    assert.equal(toErrorInfo(error).line, error.line);
  });

  it('a JSON syntax error gives file:line:column even when V8 gives no position', async () => {
    const error = await templateError(loadTemplate(fixture('bad-json.json')));
    const line = lineContaining('bad-json.json', '"Queue"');
    assert.equal(error.line, line);
    assert.equal(error.column, 5);
    assert.match(error.message, new RegExp(`^bad-json\\.json:${line}:5: JSON syntax error: Expected ',' or '}'`));
  });

  it('JSON: an unexpected token, the end of the input, and a trailing comma', async () => {
    const token = await templateError(loadTemplate(await write('token.json', '{\n  "Resources": {\n    "A": ]\n  }\n}\n')));
    assert.match(token.message, /^token\.json:3:10: JSON syntax error: Unexpected ']'/);
    const end = await templateError(loadTemplate(await write('end.json', '{\n  "Resources": {\n')));
    assert.match(end.message, /^end\.json:3:1: JSON syntax error: .*end of the file/);
    const comma = await templateError(loadTemplate(await write('comma.json', '{\n  "Resources": {"A": {"Type": "X"},}\n}\n')));
    assert.match(comma.message, /^comma\.json:2:35: JSON syntax error: Trailing comma/);
  });

  it('an unknown short tag gives the line, a suggestion and the known tags', async () => {
    const error = await templateError(loadTemplate(fixture('unknown-tag.yaml')));
    const line = lineContaining('unknown-tag.yaml', '!Reff');
    assert.equal(error.line, line);
    assert.match(
      error.message,
      new RegExp(`^unknown-tag\\.yaml:${line}:\\d+: Unknown tag !Reff \\(did you mean !Ref\\?\\)\\. CloudFormation knows !Ref, !Condition`),
    );
  });

  it('YAML aliases, which CloudFormation refuses', async () => {
    const path = await write(
      'alias.yaml',
      'Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: &props\n      DisplayName: a\n  B:\n    Type: AWS::SNS::Topic\n    Properties: *props\n',
    );
    const error = await templateError(loadTemplate(path));
    assert.equal(error.line, 8);
    assert.match(error.message, /alias \*props is not allowed/);
  });

  it('a top level that is not a mapping', async () => {
    const error = await templateError(loadTemplate(fixture('top-level-list.yaml')));
    assert.match(error.message, /^top-level-list\.yaml:1: A template must be a mapping of sections .* but this file holds a list\./);
  });

  it('no Resources section, and an empty one', async () => {
    const none = await templateError(loadTemplate(fixture('no-resources.yaml')));
    assert.match(none.message, /^no-resources\.yaml:\d+: The template has no Resources section/);
    const empty = await templateError(loadTemplate(fixture('empty-resources.yaml')));
    assert.equal(empty.line, lineContaining('empty-resources.yaml', 'Resources:'));
    assert.match(empty.message, /^empty-resources\.yaml:\d+: The Resources section is empty/);
  });

  it('a resource without Type points at that resource', async () => {
    const error = await templateError(loadTemplate(fixture('missing-type.yaml')));
    const line = lineContaining('missing-type.yaml', 'Queue:');
    assert.equal(error.line, line);
    assert.match(error.message, new RegExp(`^missing-type\\.yaml:${line}: Resource Queue has no Type`));
  });

  it('a Ref to an unknown name gives its line and the likely name', async () => {
    const error = await templateError(loadTemplate(fixture('bad-ref.yaml')));
    const line = lineContaining('bad-ref.yaml', '!Ref UploadBuckt');
    assert.equal(error.line, line);
    assert.match(
      error.message,
      new RegExp(
        `^bad-ref\\.yaml:${line}:\\d+: Ref UploadBuckt: .* Did you mean UploadBucket\\? There is 1 more unknown reference, on line \\d+; the Problems panel lists each\\.$`,
      ),
    );
  });

  it('a Fn::GetAtt to an unknown resource, and to a parameter', async () => {
    const text =
      'Parameters:\n  Stage:\n    Type: String\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\nOutputs:\n  A:\n    Value: !GetAtt Queu.Arn\n  B:\n    Value:\n      Fn::GetAtt: [Stage, Arn]\n';
    const error = await templateError(loadTemplate(await write('getatt.yaml', text)));
    assert.equal(error.line, 9);
    assert.match(error.message, /Fn::GetAtt Queu: the template has no resource named Queu\. Did you mean Queue\?/);
    const onParameter = await templateError(loadTemplate(await write('getatt-param.yaml', text.replace('!GetAtt Queu.Arn', '!GetAtt Queue.Arn'))));
    assert.equal(onParameter.line, 12);
    assert.match(onParameter.message, /Stage is a parameter, and Fn::GetAtt works only on resources/);
  });

  it('pseudo parameters are known; an unknown Ref in JSON still gets its line', async () => {
    const good = '{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "AWS::StackName"}}}}}';
    await loadTemplate(await write('pseudo.json', good));
    const bad =
      '{\n  "Resources": {\n    "T": {\n      "Type": "AWS::SNS::Topic",\n      "Properties": {"DisplayName": {"Ref": "AWS::Regoin"}}\n    }\n  }\n}\n';
    const error = await templateError(loadTemplate(await write('pseudo-bad.json', bad)));
    assert.equal(error.line, 5);
    assert.match(error.message, /Did you mean AWS::Region\?/);
  });

  it('a second YAML document is explained in plain words', async () => {
    const error = await templateError(loadTemplate(await write('two.yaml', 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n---\nOther: 1\n')));
    assert.equal(error.line, 4);
    assert.match(error.message, /single YAML document/);
  });
});
