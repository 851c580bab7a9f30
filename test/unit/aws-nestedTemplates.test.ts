/**
 * Local nested TemplateURLs (`aws cloudformation package` input): found, mapped to workspace
 * files, uploaded content-addressed to the template bucket and rewritten in the submitted body;
 * refused with the setting or the file to fix when that cannot be done.
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { hasNestedStacks, localTemplateUrls, nestedTemplateFiles, packageNestedTemplates } from '../../src/providers/aws/nestedTemplates';
import { isInputError } from '../../src/input/inputError';
import type { TemplateSource } from '../../src/providers/provider';

const ROOT = `Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./nested/network.yaml
      Parameters: { Cidr: 10.0.0.0/16 }
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/remote.yaml
  Bucket:
    Type: AWS::S3::Bucket
`;

const NETWORK = `Resources:
  Subnets:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: "subnets.json"
  Vpc:
    Type: AWS::EC2::VPC
`;

const SUBNETS = '{ "Resources": { "Subnet": { "Type": "AWS::EC2::Subnet" } } }';

function source(body: string, path: string): TemplateSource {
  return { path, body, format: path.endsWith('.json') ? 'json' : 'yaml', sizeBytes: Buffer.byteLength(body) };
}

describe('local nested templates', () => {
  let workspace: string;
  let outside: string;
  const signal = new AbortController().signal;

  before(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'sw-nested-')));
    outside = await realpath(await mkdtemp(join(tmpdir(), 'sw-outside-')));
    await mkdir(join(workspace, 'nested'));
    await writeFile(join(workspace, 'template.yaml'), ROOT);
    await writeFile(join(workspace, 'nested', 'network.yaml'), NETWORK);
    await writeFile(join(workspace, 'nested', 'subnets.json'), SUBNETS);
    await writeFile(join(outside, 'evil.yaml'), 'Resources: {}\n');
  });
  after(async () => {
    await rm(workspace, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('finds only nested stacks with a local path, and maps each to its workspace file', () => {
    assert.deepEqual(
      localTemplateUrls(ROOT).map((r) => [r.logicalId, r.url]),
      [['Network', './nested/network.yaml']],
    );
    assert.deepEqual([...nestedTemplateFiles(ROOT, join(workspace, 'template.yaml'))], [['Network', join(workspace, 'nested', 'network.yaml')]]);
    assert.deepEqual([...nestedTemplateFiles(SUBNETS, join(workspace, 'x.json'))], []);
    assert.equal(hasNestedStacks(ROOT), true);
    assert.equal(hasNestedStacks(SUBNETS), false);
  });

  it('uploads each file (its own nested ones first) under a content-addressed key and rewrites the URLs', async () => {
    const puts: { bucket: string; key: string; body: string }[] = [];
    const packaged = await packageNestedTemplates(source(ROOT, 'template.yaml'), {
      templateFile: join(workspace, 'template.yaml'),
      workspaceFolder: workspace,
      bucket: 'deploy-bucket',
      region: 'eu-west-1',
      stackName: 'shop',
      put: async (bucket, key, body) => {
        puts.push({ bucket, key, body });
      },
      signal,
    });
    assert.equal(puts.length, 2);
    assert.deepEqual(
      puts.map((p) => p.bucket),
      ['deploy-bucket', 'deploy-bucket'],
    );
    assert.equal(puts[0].body, SUBNETS);
    assert.match(puts[0].key, /^stackwatch\/shop\/[0-9a-f]{32}\.json$/);
    // The network template went up with its own nested URL rewritten.
    const network = parse(puts[1].body) as { Resources: { Subnets: { Properties: { TemplateURL: string } } } };
    assert.equal(network.Resources.Subnets.Properties.TemplateURL, `https://deploy-bucket.s3.eu-west-1.amazonaws.com/${puts[0].key}`);
    const root = parse(packaged.body) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
    assert.equal(root.Resources.Network.Properties?.TemplateURL, `https://deploy-bucket.s3.eu-west-1.amazonaws.com/${puts[1].key}`);
    assert.equal(root.Resources.Remote.Properties?.TemplateURL, 'https://example-bucket.s3.amazonaws.com/remote.yaml');
    assert.deepEqual(root.Resources.Network.Properties?.Parameters, { Cidr: '10.0.0.0/16' });
    assert.equal(packaged.sizeBytes, Buffer.byteLength(packaged.body));
    // The same content gives the same keys: a retry writes the same objects.
    const again: string[] = [];
    await packageNestedTemplates(source(ROOT, 'template.yaml'), {
      templateFile: join(workspace, 'template.yaml'),
      workspaceFolder: workspace,
      bucket: 'deploy-bucket',
      region: 'eu-west-1',
      stackName: 'shop',
      put: async (_bucket, key) => {
        again.push(key);
      },
      signal,
    });
    assert.deepEqual(
      again,
      puts.map((p) => p.key),
    );
  });

  it('leaves a template without local nested templates untouched', async () => {
    const plain = source('Resources:\n  B:\n    Type: AWS::S3::Bucket\n', 't.yaml');
    const result = await packageNestedTemplates(plain, { region: 'us-east-1', stackName: 's', put: () => Promise.reject(new Error('no upload')), signal });
    assert.equal(result, plain);
  });

  it('without a bucket, says which setting and which resource', async () => {
    await assert.rejects(
      packageNestedTemplates(source(ROOT, 'template.yaml'), {
        templateFile: join(workspace, 'template.yaml'),
        region: 'us-east-1',
        stackName: 's',
        put: async () => undefined,
        signal,
      }),
      (error: unknown) => {
        assert.ok(isInputError(error));
        assert.equal(error.setting, 'stackwatch.aws.templateBucket');
        assert.match(error.message, /Nested stack Network/);
        assert.match(error.message, /stackwatch\.aws\.templateBucket/);
        assert.equal(error.line, 5);
        return true;
      },
    );
  });

  it('refuses a nested template outside the workspace, named or through a symlink, and a missing one', async () => {
    const options = {
      templateFile: join(workspace, 'template.yaml'),
      workspaceFolder: workspace,
      bucket: 'b',
      region: 'us-east-1',
      stackName: 's',
      put: async () => undefined,
      signal,
    };
    const pointingAt = (url: string): TemplateSource =>
      source(`Resources:\n  Evil:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}\n`, 'template.yaml');
    await assert.rejects(packageNestedTemplates(pointingAt(join(outside, 'evil.yaml')), options), /Nested stack Evil: .*outside the workspace/);
    await symlink(join(outside, 'evil.yaml'), join(workspace, 'link.yaml'));
    await assert.rejects(packageNestedTemplates(pointingAt('link.yaml'), options), /Nested stack Evil: .*leads outside the workspace/);
    await assert.rejects(packageNestedTemplates(pointingAt('missing.yaml'), options), /Nested stack Evil: .*names no file/);
  });

  it('stops a template that includes itself', async () => {
    await writeFile(join(workspace, 'self.yaml'), 'Resources:\n  Me:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: self.yaml\n');
    await assert.rejects(
      packageNestedTemplates(source('Resources:\n  Top:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: self.yaml\n', 't.yaml'), {
        templateFile: join(workspace, 't.yaml'),
        workspaceFolder: workspace,
        bucket: 'b',
        region: 'us-east-1',
        stackName: 's',
        put: async () => undefined,
        signal,
      }),
      /includes itself/,
    );
  });
});
