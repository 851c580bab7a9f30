/**
 * The AWS review against moto, an emulator we did not write: the wire format of the happy path
 * (IncludePropertyValues and IncludeNestedStacks accepted, packaged nested templates uploaded
 * through the real S3 client, GetTemplate). What moto does not support, and cfn-sim covers in
 * aws-review.test.ts: its DescribeChangeSet has no Details at all (no property values, no
 * BeforeContext/AfterContext, no detail lines), and it makes no nested change sets (a nested
 * stack's change carries no ChangeSetId), so the review lists a nested stack as one row.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { DescribeStagedResult, PollResult, TargetCondition } from '../../src/providers/provider';
import { TEST_CREDENTIALS, awsProvider, templateSource, uniqueDeploymentId } from '../support/awsDeployment';
import { pythonWithMoto, startMoto, type MotoServer } from '../support/moto';

const found = pythonWithMoto();
if (!found.python) console.log(`# moto review tests skipped: ${found.reason}`);

const BUCKET = 'stackwatch-review-templates';
const QUEUE = (timeout: number) => `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: ${timeout}\n`;
const signal = new AbortController().signal;
const ENDED = new Set<PollResult['phase']>(['succeeded', 'failed', 'rolledBack']);

describe('AWS review against moto (happy path)', { skip: found.python ? false : found.reason }, () => {
  let moto: MotoServer;
  let provider: AwsProvider;
  let s3: S3Client;
  let workspace: string;
  const target = (name: string) => ({ provider: 'aws' as const, name, region: 'us-east-1' });

  before(async () => {
    moto = await startMoto(found.python as string);
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'sw-moto-review-')));
    await writeFile(join(workspace, 'network.yaml'), QUEUE(10));
    provider = awsProvider(moto.url, { templateBucket: BUCKET, templateFile: join(workspace, 'template.yaml'), workspaceFolder: workspace });
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  after(async () => {
    provider?.dispose();
    s3?.destroy();
    await moto?.stop();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  async function review(
    name: string,
    template: string,
    condition: TargetCondition,
  ): Promise<{ stagedId: string; deploymentId: string; result: DescribeStagedResult }> {
    const deploymentId = uniqueDeploymentId('moto-review');
    const { stagedId } = await provider.stage({
      target: target(name),
      template: templateSource(template),
      parameters: [],
      capabilities: [],
      condition,
      deploymentId,
      attempt: 0,
      signal,
    });
    // moto completes a change set at once.
    return { stagedId, deploymentId, result: await provider.describeStaged({ target: target(name), stagedId, signal }) };
  }

  it('reviews an update with property values asked for, and GetTemplate gives back the deployed text', async () => {
    assert.equal(await provider.deployedTemplate({ target: target('moto-review'), signal }), undefined, 'no stack yet');
    const created = await review('moto-review', QUEUE(30), 'missing');
    assert.equal(created.result.state, 'ready', created.result.reason);
    const { operation } = await provider.execute({ target: target('moto-review'), stagedId: created.stagedId, deploymentId: created.deploymentId, signal });
    let phase: PollResult['phase'] = 'inProgress';
    let cursor: string | undefined;
    for (let i = 0; i < 50 && !ENDED.has(phase); i++) {
      const polled = await provider.poll({ target: target('moto-review'), operation, cursor, signal });
      ({ phase, cursor } = polled);
    }
    assert.equal(phase, 'succeeded');
    assert.equal(await provider.deployedTemplate({ target: target('moto-review'), signal }), QUEUE(30));

    const updated = await review('moto-review', QUEUE(60), 'ready');
    assert.equal(updated.result.state, 'ready', updated.result.reason);
    assert.deepEqual(
      updated.result.changes.map((c) => [c.logicalId, c.action, c.resourceType]),
      [['Queue', 'Modify', 'AWS::SQS::Queue']],
    );
  });

  it('uploads a local nested template through the real S3 client and stages the parent with its URL', async () => {
    const root = `Resources:\n  Network:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./network.yaml\n`;
    const { result } = await review('moto-nested', root, 'missing');
    assert.equal(result.state, 'ready', result.reason);
    assert.deepEqual(
      result.changes.map((c) => [c.logicalId, c.parent]),
      [['Network', undefined]],
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    assert.equal(keys.length, 1);
    assert.match(keys[0], /^stackwatch\/moto-nested\/[0-9a-f]{32}\.yaml$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0] }));
    assert.equal(await object.Body?.transformToString(), QUEUE(10));
  });
});
