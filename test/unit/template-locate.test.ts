/**
 * The AWS runtime's locate: a finding's ValidationPath or a failure's property lands on the
 * template line to fix, in YAML with short-form tags, in JSON, and inside a nested stack's own
 * workspace file.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locate, pointerSegments, resourcePath } from '../../src/providers/aws/template/locate';
import type { TemplateSource } from '../../src/providers/provider';

function source(body: string, format: 'yaml' | 'json', path = 'template.yaml'): TemplateSource {
  return { path, body, format, sizeBytes: Buffer.byteLength(body) };
}

/** 1-based line of the first line containing `needle`, and the column it starts at. */
function where(body: string, needle: string): { line: number; column: number } {
  const lines = body.split('\n');
  const index = lines.findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, `fixture has no line with ${needle}`);
  return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
}

const YAML = [
  'AWSTemplateFormatVersion: "2010-09-09"',
  'Parameters:',
  '  Stage:',
  '    Type: String',
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  '    Properties:',
  '      BucketName: !Sub "${Stage}-data"',
  '      Tags:',
  '        - Key: team',
  '          Value: !Ref Stage',
  '        - Key: owner',
  '          Value: platform',
  '  Queue:',
  '    Type: AWS::SQS::Queue',
  '    Properties:',
  '      RedrivePolicy:',
  '        deadLetterTargetArn: !GetAtt Dlq.Arn',
  '  Dlq:',
  '    Type: AWS::SQS::Queue',
  '',
].join('\n');

describe('locate: YAML with CloudFormation tags', () => {
  const template = source(YAML, 'yaml');

  it('a ValidationPath lands on the property key', () => {
    assert.deepEqual(locate(template, { logicalId: 'Bucket', path: '/Resources/Bucket/Properties/BucketName' }, {}), where(YAML, 'BucketName:'));
  });

  it('array indexes in a JSON pointer and in a property path reach the list item', () => {
    assert.deepEqual(locate(template, { path: '/Resources/Bucket/Properties/Tags/1/Value' }, {}), where(YAML, 'Value: platform'));
    assert.deepEqual(locate(template, { logicalId: 'Bucket', path: 'Properties.Tags[0].Value' }, {}), where(YAML, 'Value: !Ref Stage'));
  });

  it('a path through a short-form tag (!GetAtt) finds the key that holds it', () => {
    const found = locate(template, { logicalId: 'Queue', path: 'Properties.RedrivePolicy.deadLetterTargetArn.Fn::GetAtt' }, {});
    assert.equal(found?.line, where(YAML, 'deadLetterTargetArn').line);
  });

  it('a path deeper than the template goes to the deepest part that exists', () => {
    const found = locate(template, { logicalId: 'Bucket', path: '/Resources/Bucket/Properties/VersioningConfiguration/Status' }, {});
    assert.deepEqual(found, where(YAML, 'Properties:'));
  });

  it('no path, or a path naming no part of the template, gives the logical ID line', () => {
    assert.deepEqual(locate(template, { logicalId: 'Dlq' }, {}), where(YAML, 'Dlq:'));
    assert.deepEqual(locate(template, { logicalId: 'Dlq', path: '/Outputs/Nope' }, {}), where(YAML, 'Dlq:'));
  });

  it('an unknown resource and no path is undefined, not line 1', () => {
    assert.equal(locate(template, { logicalId: 'Missing' }, {}), undefined);
    assert.equal(locate(template, {}, {}), undefined);
  });

  it('a template that no longer parses locates nothing', () => {
    assert.equal(locate(source('Resources:\n  Bucket: [\n', 'yaml'), { logicalId: 'Bucket' }, {}), undefined);
  });
});

describe('locate: JSON', () => {
  const JSON_BODY = JSON.stringify(
    {
      Resources: {
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], TableName: { 'Fn::Sub': '${AWS::StackName}-t' } },
        },
      },
    },
    undefined,
    2,
  );
  const template = source(JSON_BODY, 'json', 'template.json');

  it('pointer and property path land on the JSON keys', () => {
    assert.deepEqual(locate(template, { path: '/Resources/Table/Properties/KeySchema/0/KeyType' }, {}), where(JSON_BODY, '"KeyType"'));
    assert.deepEqual(locate(template, { logicalId: 'Table', path: 'Properties.TableName' }, {}), where(JSON_BODY, '"TableName"'));
    assert.deepEqual(locate(template, { logicalId: 'Table' }, {}), where(JSON_BODY, '"Table"'));
  });
});

describe('locate: nested stacks', () => {
  let folder = '';
  const ROOT = [
    'Resources:',
    '  Network:',
    '    Type: AWS::CloudFormation::Stack',
    '    Properties:',
    '      TemplateURL: nested/network.yaml',
    '  Remote:',
    '    Type: AWS::CloudFormation::Stack',
    '    Properties:',
    '      TemplateURL: https://bucket.s3.amazonaws.com/remote.yaml',
    '',
  ].join('\n');
  const NETWORK = ['Resources:', '  Subnet:', '    Type: AWS::EC2::Subnet', '    Properties:', '      CidrBlock: 10.0.0.0/33', ''].join('\n');

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'stackwatch-locate-'));
    await mkdir(join(folder, 'infra', 'nested'), { recursive: true });
    await writeFile(join(folder, 'infra', 'nested', 'network.yaml'), NETWORK);
  });
  after(() => rm(folder, { recursive: true, force: true }));

  it('a row inside a nested stack whose template is a workspace file lands in that file', () => {
    const template = source(ROOT, 'yaml', join('infra', 'template.yaml'));
    const found = locate(template, { logicalId: 'Network/Subnet', path: 'Properties.CidrBlock' }, { workspaceFolder: folder });
    assert.deepEqual(found, { file: join(folder, 'infra', 'nested', 'network.yaml'), ...where(NETWORK, 'CidrBlock') });
    const byPointer = locate(template, { logicalId: 'Network/Subnet', path: '/Resources/Subnet/Properties/CidrBlock' }, { workspaceFolder: folder });
    assert.equal(byPointer?.line, where(NETWORK, 'CidrBlock').line);
  });

  it('a nested template held elsewhere (an S3 URL) falls back to the parent line in the root template', () => {
    const template = source(ROOT, 'yaml', join('infra', 'template.yaml'));
    assert.deepEqual(locate(template, { logicalId: 'Remote/Thing', path: 'Properties.X' }, { workspaceFolder: folder }), where(ROOT, 'Remote:'));
  });

  it('a TemplateURL leading outside the workspace is not read', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'stackwatch-outside-'));
    try {
      await writeFile(join(outside, 'network.yaml'), NETWORK);
      const root = ROOT.replace('nested/network.yaml', join(outside, 'network.yaml'));
      const found = locate(source(root, 'yaml', 'template.yaml'), { logicalId: 'Network/Subnet' }, { workspaceFolder: folder });
      assert.deepEqual(found, where(root, 'Network:'));
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('locate: path forms', () => {
  it('property paths split dots and indexes; pointers undo RFC 6901 escapes', () => {
    assert.deepEqual(resourcePath('Properties.Tags[0].Value'), ['Properties', 'Tags', 0, 'Value']);
    assert.deepEqual(resourcePath('Properties.Matrix[1][2]'), ['Properties', 'Matrix', 1, 2]);
    assert.deepEqual(pointerSegments('/Resources/A~1B/x~0y'), ['Resources', 'A/B', 'x~y']);
  });
});
