/**
 * The AWS adapter against moto, an emulator we did not write: an independent check of the wire
 * format for the happy path. moto completes every operation at once and never fails a
 * resource, so failures, rollbacks and Stop are tested against the local simulator instead.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, DescribeStackResourcesCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { TEMPLATE_BODY_LIMIT_BYTES } from '../../src/providers/aws/templateLocation';
import { TEST_CREDENTIALS, awsProvider, startDeployment, waitForEnd } from '../support/awsDeployment';
import { pythonWithMoto, startMoto, type MotoServer } from '../support/moto';

const found = pythonWithMoto();
if (!found.python) console.log(`# moto tests skipped: ${found.reason}`);

const QUEUE_TEMPLATE = (queueName: string) => `AWSTemplateFormatVersion: '2010-09-09'
Description: A queue and a topic
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: ${queueName}
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  QueueUrl:
    Value: !Ref Queue
`;

describe('AWS adapter against moto (happy path)', { skip: found.python ? false : found.reason }, () => {
  let moto: MotoServer;
  let provider: AwsProvider;
  let sdk: CloudFormationClient;
  const stackName = 'moto-happy';

  before(async () => {
    moto = await startMoto(found.python as string);
    provider = awsProvider(moto.url);
    sdk = new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials: TEST_CREDENTIALS });
  });

  after(async () => {
    provider?.dispose();
    sdk?.destroy();
    await moto?.stop();
  });

  it('creates a stack through a CREATE change set', async () => {
    const session = startDeployment({ provider, stackName, template: QUEUE_TEMPLATE('orders') });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.deepEqual(end.context.changes.map((c) => [c.logicalId, c.action]).sort(), [
      ['Queue', 'Add'],
      ['Topic', 'Add'],
    ]);
    assert.equal(end.context.providerStatus, 'CREATE_COMPLETE');
    const resources = await sdk.send(new DescribeStackResourcesCommand({ StackName: stackName }));
    assert.deepEqual(resources.StackResources?.map((r) => r.LogicalResourceId).sort(), ['Queue', 'Topic']);
    const described = await provider.describeTarget({ target: { provider: 'aws', name: stackName }, signal: new AbortController().signal });
    assert.equal(described.condition, 'ready');
  });

  it('updates it through an UPDATE change set', async () => {
    const session = startDeployment({ provider, stackName, template: QUEUE_TEMPLATE('orders-v2') });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    // moto lists every resource of an UPDATE change set as Modify, changed or not.
    assert.deepEqual(
      end.context.changes.find((c) => c.logicalId === 'Queue'),
      { logicalId: 'Queue', action: 'Modify', resourceType: 'AWS::SQS::Queue' },
    );
    assert.equal(end.context.providerStatus, 'UPDATE_COMPLETE');
  });

  it('reports no changes for the same template and removes the empty change set', async () => {
    const session = startDeployment({ provider, stackName, template: QUEUE_TEMPLATE('orders-v2') });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'noChanges', end.context.error?.message);
    assert.equal(end.context.status.error, 'none');
    const sets = await sdk.send(new ListChangeSetsCommand({ StackName: stackName }));
    const summaries = sets.Summaries ?? [];
    assert.equal(summaries.length, 2, 'the two executed change sets remain');
    assert.deepEqual(
      summaries.filter((s) => s.ExecutionStatus !== 'EXECUTE_COMPLETE'),
      [],
      'the empty change set was deleted',
    );
  });

  it('sends a template over the 51,200-byte limit through the configured S3 bucket', async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
    await s3.send(new CreateBucketCommand({ Bucket: 'stackwatch-templates' }));
    const topics = Array.from(
      { length: 300 },
      (_, i) => `  Topic${i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: ${'topic-'.repeat(25)}${i}\n`,
    );
    const body = `Resources:\n${topics.join('')}`;
    assert.ok(Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT_BYTES, 'the template really is over the limit');
    const withBucket = awsProvider(moto.url, { templateBucket: 'stackwatch-templates' });
    const session = startDeployment({ provider: withBucket, stackName: 'moto-large', template: body });
    const end = await waitForEnd(session);
    session.dispose();
    withBucket.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(end.context.changes.length, 300);
    const objects = await s3.send(new ListObjectsV2Command({ Bucket: 'stackwatch-templates' }));
    s3.destroy();
    assert.deepEqual(
      objects.Contents?.map((o) => o.Key?.replace(/[0-9a-f]{32}/, 'HASH')),
      ['stackwatch/moto-large/HASH.yaml'],
    );
  });

  it('deletes the stack when recovery is asked for', async () => {
    const signal = new AbortController().signal;
    const target = { provider: 'aws' as const, name: stackName };
    const result = await provider.recover({ target, action: 'delete', deploymentId: 'moto-delete', signal });
    assert.equal(result.operation.kind, 'delete');
    const described = await provider.describeTarget({ target, signal });
    assert.equal(described.condition, 'missing');
  });
});
