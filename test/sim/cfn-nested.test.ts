/**
 * The simulator's own S3 and nested stacks, through the real SDK clients: templates uploaded with
 * @aws-sdk/client-s3 (path style, the simulator as endpoint) are what AWS::CloudFormation::Stack
 * TemplateURLs and CreateChangeSet/ValidateTemplate TemplateURLs read. A nested stack is a real
 * stack with its own events; a failure inside it fails the parent's resource with CloudFormation's
 * "Embedded stack … was not successfully created" wording, and updates and deletes go down the tree.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DescribeStackResourcesCommand, DeleteStackCommand, ValidateTemplateCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, allEvents, clientFor, createChangeSetAndWait, deploy, describeStack, eventLines, CREDENTIALS } from './support';

const CHILD = `Parameters:
  Label: { Type: String }
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30, Tags: [{ Key: label, Value: !Ref Label }] }
Outputs:
  QueueArn: { Value: !GetAtt Queue.Arn }
`;
const FAILING_CHILD = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Bucket:
    Type: AWS::S3::Bucket
    Metadata: { Stackwatch: { Fail: "Bucket name taken", Seconds: 3 } }
`;
const parent = (url: string, label = 'one'): string => `Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
      Parameters: { Label: ${label} }
  Topic:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: !GetAtt Network.Outputs.QueueArn }
Outputs:
  FromChild: { Value: !GetAtt Network.Outputs.QueueArn }
`;

describe('cfn-sim S3 and nested stacks', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;
  let s3: S3Client;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
    s3 = new S3Client({ endpoint: sim.url, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true });
  });
  after(async () => {
    s3.destroy();
    cfn.destroy();
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('stores objects put with the real S3 client and serves them back (Get, Head, missing key)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'nested/child.yaml', Body: CHILD, ContentType: 'text/yaml' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'templates', Key: 'nested/child.yaml' }));
    assert.equal(await got.Body?.transformToString(), CHILD);
    assert.equal(got.ContentType, 'text/yaml');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'templates', Key: 'nested/child.yaml' }));
    assert.equal(head.ContentLength, Buffer.byteLength(CHILD));
    await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'templates', Key: 'absent.yaml' })), (e: Error) => e.name === 'NoSuchKey');
  });

  it('resolves every TemplateURL form into the store, for ValidateTemplate and CreateChangeSet', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'tpl', Key: 'child.yaml', Body: CHILD }));
    const port = new URL(sim.url).port;
    for (const url of [
      `${sim.url}/tpl/child.yaml`,
      `http://localhost:${port}/tpl/child.yaml`,
      'https://tpl.s3.amazonaws.com/child.yaml',
      'https://s3.eu-west-1.amazonaws.com/tpl/child.yaml',
      'https://tpl.s3.eu-west-1.amazonaws.com/child.yaml',
    ]) {
      const validated = await cfn.send(new ValidateTemplateCommand({ TemplateURL: url }));
      assert.deepEqual(
        validated.Parameters?.map((p) => p.ParameterKey),
        ['Label'],
        url,
      );
    }
    await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateURL: 'https://tpl.s3.amazonaws.com/absent.yaml' })), /S3 error: Access Denied/);
    await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateURL: 'https://example.com/child.yaml' })), /TemplateURL must be a supported URL/);
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'from-url',
      ChangeSetName: 'cs',
      ChangeSetType: 'CREATE',
      TemplateURL: 'https://tpl.s3.us-east-1.amazonaws.com/child.yaml',
      Parameters: [{ ParameterKey: 'Label', ParameterValue: 'x' }],
    });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE');
    assert.deepEqual(
      changeSet.Changes?.map((c) => c.ResourceChange?.LogicalResourceId),
      ['Queue'],
    );
  });

  it('creates a real nested stack whose outputs reach the parent, and deletes it with the parent', async () => {
    const url = sim.putObject('tpl', 'child.yaml', CHILD);
    const stack = await deploy(sim, cfn, 'app', parent(url));
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }));
    const network = resources.StackResources?.find((r) => r.LogicalResourceId === 'Network');
    const childId = network?.PhysicalResourceId ?? '';
    assert.match(childId, /^arn:aws:cloudformation:us-east-1:123456789012:stack\/app-Network-[A-Z0-9]{12}\/[0-9a-f-]{36}$/);
    const child = await describeStack(cfn, childId);
    assert.equal(child.StackStatus, 'CREATE_COMPLETE');
    assert.equal(child.ParentId, stack.StackId);
    assert.equal(child.RootId, stack.StackId);
    assert.equal(stack.ParentId, undefined);
    const queueArn = child.Outputs?.find((o) => o.OutputKey === 'QueueArn')?.OutputValue;
    assert.match(queueArn ?? '', /^arn:aws:sqs:/);
    assert.equal(stack.Outputs?.find((o) => o.OutputKey === 'FromChild')?.OutputValue, queueArn);

    // The child's events are only in the child's log; the parent's ends its resource after the child's stack completes.
    const parentLines = eventLines(await allEvents(cfn, 'app'));
    assert.ok(!parentLines.some((l) => l.startsWith('Queue ')), 'no child resource events in the parent');
    assert.deepEqual(
      parentLines.filter((l) => l.startsWith('Network ')),
      ['Network CREATE_IN_PROGRESS', 'Network CREATE_IN_PROGRESS', 'Network CREATE_COMPLETE'],
    );
    const childEvents = await allEvents(cfn, childId);
    assert.deepEqual(eventLines(childEvents).slice(-2), ['Queue CREATE_COMPLETE', `${child.StackName} CREATE_COMPLETE`]);
    const childDone = childEvents.at(-1)?.Timestamp?.getTime() ?? Infinity;
    const parentResourceDone = (await allEvents(cfn, 'app')).find((e) => e.LogicalResourceId === 'Network' && e.ResourceStatus === 'CREATE_COMPLETE');
    assert.ok((parentResourceDone?.Timestamp?.getTime() ?? 0) >= childDone);

    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await advanceUntil(sim, cfn, 'app', /DELETE_COMPLETE/).catch(() => undefined);
    const gone = await describeStack(cfn, stack.StackId ?? '');
    assert.equal(gone.StackStatus, 'DELETE_COMPLETE');
    assert.equal((await describeStack(cfn, childId)).StackStatus, 'DELETE_COMPLETE');
  });

  it('a failure inside the nested stack rolls it back and fails the parent resource with the embedded-stack reason', async () => {
    const url = sim.putObject('tpl', 'failing.yaml', FAILING_CHILD);
    const stack = await deploy(sim, cfn, 'broken', `Resources:\n  Storage:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: ${url} }\n`);
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await allEvents(cfn, 'broken');
    const failed = events.find((e) => e.LogicalResourceId === 'Storage' && e.ResourceStatus === 'CREATE_FAILED');
    const childId = failed?.PhysicalResourceId ?? '';
    assert.equal(failed?.ResourceStatusReason, `Embedded stack ${childId} was not successfully created: The following resource(s) failed to create: [Bucket].`);
    const childLines = eventLines(await allEvents(cfn, childId), { reasons: true });
    assert.ok(childLines.includes('Bucket CREATE_FAILED Bucket name taken'), childLines.join('\n'));
    assert.ok(childLines.some((l) => /ROLLBACK_COMPLETE$/.test(l)));
    assert.equal((await describeStack(cfn, childId)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual(eventLines(events.filter((e) => e.LogicalResourceId === 'Storage')), [
      'Storage CREATE_IN_PROGRESS',
      'Storage CREATE_IN_PROGRESS',
      'Storage CREATE_FAILED',
      'Storage DELETE_IN_PROGRESS',
      'Storage DELETE_COMPLETE',
    ]);
  });

  it('a sibling failing in the parent cancels the nested stack’s create, which rolls back before the parent deletes it', async () => {
    const url = sim.putObject('tpl', 'slow.yaml', 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 60 } }\n');
    const stack = await deploy(
      sim,
      cfn,
      'cancelled',
      `Resources:\n  Slow:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: "${url}" }\n  Broken:\n    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Fail: "Topic limit", Seconds: 3 } }\n`,
    );
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const lines = eventLines(await allEvents(cfn, 'cancelled'), { reasons: true });
    assert.ok(lines.includes('Broken CREATE_FAILED Topic limit'));
    assert.ok(lines.includes('Slow CREATE_FAILED Resource creation cancelled'), lines.join('\n'));
    const childId =
      (await allEvents(cfn, 'cancelled')).find((e) => e.LogicalResourceId === 'Slow' && e.PhysicalResourceId?.startsWith('arn:'))?.PhysicalResourceId ?? '';
    const childLines = eventLines(await allEvents(cfn, childId), { reasons: true });
    const name = (await describeStack(cfn, childId)).StackName ?? '';
    assert.deepEqual(childLines.slice(1), [
      'Queue CREATE_IN_PROGRESS',
      'Queue CREATE_IN_PROGRESS Resource creation Initiated',
      'Queue CREATE_FAILED Resource creation cancelled',
      `${name} ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Queue]. Rollback requested by user.`,
      'Queue DELETE_IN_PROGRESS',
      'Queue DELETE_COMPLETE',
      `${name} ROLLBACK_COMPLETE`,
      `${name} DELETE_IN_PROGRESS User Initiated`,
      `${name} DELETE_COMPLETE`,
    ]);
  });

  it('an update of the parent updates the nested stack with the new parameters', async () => {
    const url = sim.putObject('tpl', 'child.yaml', CHILD);
    await deploy(sim, cfn, 'app', parent(url));
    const updated = await deploy(sim, cfn, 'app', parent(url, 'two'), { update: true });
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE');
    const childId =
      (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app', LogicalResourceId: 'Network' }))).StackResources?.[0]?.PhysicalResourceId ?? '';
    const child = await describeStack(cfn, childId);
    assert.equal(child.StackStatus, 'UPDATE_COMPLETE');
    assert.deepEqual(child.Parameters, [{ ParameterKey: 'Label', ParameterValue: 'two' }]);
    assert.ok(eventLines(await allEvents(cfn, childId)).includes('Queue UPDATE_COMPLETE'));
    assert.equal((await describeStack(cfn, 'app')).StackStatus, 'UPDATE_COMPLETE');
    await advanceUntil(sim, cfn, 'app', SETTLED);
  });

  it('a failed update inside the nested stack fails the parent resource with the embedded-stack update reason', async () => {
    await deploy(sim, cfn, 'app', parent(sim.putObject('tpl', 'v1.yaml', CHILD)));
    const v2 = sim.putObject(
      'tpl',
      'v2.yaml',
      CHILD.replace('Type: AWS::SQS::Queue', 'Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Fail: "Queue quota exceeded", FailOn: [update] } }'),
    );
    const settled = await deploy(sim, cfn, 'app', parent(v2), { update: true });
    assert.equal(settled.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const failed = (await allEvents(cfn, 'app')).find((e) => e.LogicalResourceId === 'Network' && e.ResourceStatus === 'UPDATE_FAILED');
    const childId = failed?.PhysicalResourceId ?? '';
    assert.equal(
      failed?.ResourceStatusReason,
      `Embedded stack ${childId} was not successfully updated. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource(s) failed to update: [Queue].`,
    );
    assert.equal((await describeStack(cfn, childId)).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
  });

  it('when the parent update fails after its nested stack updated, the nested stack rolls back with it', async () => {
    const url = sim.putObject('tpl', 'child.yaml', CHILD);
    await deploy(sim, cfn, 'app', parent(url));
    const failingTopic = parent(url, 'two').replace(
      '    Type: AWS::SNS::Topic\n',
      '    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Fail: "Topic policy rejected" } }\n',
    );
    // The topic reads the child's output, so it waits for the nested stack's update to complete, then fails.
    const settled = await deploy(sim, cfn, 'app', failingTopic, { update: true });
    assert.equal(settled.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const childId =
      (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app', LogicalResourceId: 'Network' }))).StackResources?.[0]?.PhysicalResourceId ?? '';
    const child = await describeStack(cfn, childId);
    assert.equal(child.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(child.Parameters, [{ ParameterKey: 'Label', ParameterValue: 'one' }]);
    const childStatuses = eventLines(await allEvents(cfn, childId)).filter((l) => l.startsWith(`${child.StackName} `));
    assert.deepEqual(childStatuses.slice(-4), [
      `${child.StackName} UPDATE_COMPLETE`,
      `${child.StackName} UPDATE_ROLLBACK_IN_PROGRESS`,
      `${child.StackName} UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${child.StackName} UPDATE_ROLLBACK_COMPLETE`,
    ]);
    const parentLines = eventLines(await allEvents(cfn, 'app'));
    assert.ok(parentLines.indexOf('Topic UPDATE_FAILED') > parentLines.indexOf('Network UPDATE_COMPLETE'));
  });
});
