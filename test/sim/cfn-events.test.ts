/**
 * DescribeEvents, hook failures with GetHookResult, and CONFIGURATION_COMPLETE in cfn-sim, through
 * the real SDK. Time is frozen (speed 0) and moved with advance().
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DescribeEventsCommand,
  GetHookResultCommand,
  HookResultNotFoundException,
  paginateDescribeEvents,
  type CloudFormationClient,
  type DescribeEventsCommandInput,
  type OperationEvent,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { allEvents, clientFor, deploy } from './support';

async function operationEvents(cfn: CloudFormationClient, input: DescribeEventsCommandInput): Promise<OperationEvent[]> {
  const events: OperationEvent[] = [];
  for await (const page of paginateDescribeEvents({ client: cfn }, input)) events.push(...(page.OperationEvents ?? []));
  return events;
}

const FAILING = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 4 } }
  Topic:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Seconds: 1, Fail: "Topic limit exceeded" } }
`;

describe('cfn-sim DescribeEvents, hooks and DetailedStatus', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('groups a failed create and its rollback as two operations; FailedEvents gives the provisioning error, not the cancellation', async () => {
    const stack = await deploy(sim, cfn, 'app', FAILING, { token: 'tok-1' });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const [rollback, create] = stack.LastOperations ?? [];
    assert.equal(create?.OperationType, 'CREATE_STACK');
    assert.equal(rollback?.OperationType, 'ROLLBACK');

    const failed = await operationEvents(cfn, { OperationId: create?.OperationId, Filters: { FailedEvents: true } });
    assert.deepEqual(
      failed.map((e) => [e.EventType, e.LogicalResourceId, e.ResourceStatus, e.ResourceStatusReason]),
      [['PROVISIONING_ERROR', 'Topic', 'CREATE_FAILED', 'Topic limit exceeded']],
    );
    assert.equal(failed[0]?.OperationType, 'CREATE_STACK');
    assert.equal(failed[0]?.OperationStatus, 'FAILED', 'the create was taken over by its rollback');
    assert.equal(failed[0]?.ClientRequestToken, 'tok-1');
    assert.ok(failed[0]?.StartTime && failed[0].EndTime && failed[0].EndTime.getTime() - failed[0].StartTime.getTime() === 1000);

    const all = await operationEvents(cfn, { OperationId: create?.OperationId });
    const cancelled = all.find((e) => e.LogicalResourceId === 'Queue' && e.ResourceStatus === 'CREATE_FAILED');
    assert.equal(cancelled?.EventType, 'PROGRESS_EVENT');
    assert.equal(all.find((e) => e.LogicalResourceId === 'app')?.EventType, 'STACK_EVENT');

    const rolledBack = await operationEvents(cfn, { OperationId: rollback?.OperationId });
    assert.ok(rolledBack.length > 0);
    assert.ok(rolledBack.every((e) => e.OperationType === 'ROLLBACK' && e.OperationStatus === 'SUCCEEDED' && e.ClientRequestToken === 'tok-1'));
    assert.equal(rolledBack[0]?.ResourceStatus, 'ROLLBACK_COMPLETE', 'newest first');

    const byStack = await operationEvents(cfn, { StackName: 'app' });
    assert.equal(byStack.length, (await allEvents(cfn, 'app')).length);
    const review = byStack[byStack.length - 1];
    assert.equal(review?.ResourceStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(review.OperationId, undefined);
    assert.equal(review.OperationStatus, undefined, "the new stack's review event belongs to no operation");
  });

  it('pages with NextToken: two pages, no event twice, the same events as one long read', async () => {
    const small = await startCfnSim({ speed: 0, eventsPageSize: 5 });
    const client = clientFor(small);
    try {
      await deploy(small, client, 'paged', FAILING);
      const first = await client.send(new DescribeEventsCommand({ StackName: 'paged' }));
      assert.equal(first.OperationEvents?.length, 5);
      assert.ok(first.NextToken);
      const second = await client.send(new DescribeEventsCommand({ StackName: 'paged', NextToken: first.NextToken }));
      assert.ok((second.OperationEvents ?? []).length > 0);
      const ids = [...(first.OperationEvents ?? []), ...(second.OperationEvents ?? [])].map((e) => e.EventId);
      assert.equal(new Set(ids).size, ids.length);
      const everything = await operationEvents(client, { StackName: 'paged' });
      assert.equal(everything.length, (await allEvents(client, 'paged')).length);
      assert.deepEqual(
        everything.slice(0, ids.length).map((e) => e.EventId),
        ids,
      );
      await assert.rejects(client.send(new DescribeEventsCommand({ StackName: 'paged', NextToken: 'garbage' })), /Invalid NextToken/);
      await assert.rejects(client.send(new DescribeEventsCommand({})), /One of ChangeSetName, OperationId or StackName must be specified/);
    } finally {
      client.destroy();
      await small.close();
    }
  });

  it('a hook fails a resource before provisioning: HOOK_INVOCATION_ERROR, the hook on DescribeStackEvents, annotations from GetHookResult', async () => {
    const template = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata:
      Stackwatch:
        Hook:
          Type: Private::Guard::S3Encryption
          Reason: "Template failed validation: BucketEncryption is not set"
          Annotations:
            - AnnotationName: S3BucketEncryption
              Status: FAILED
              StatusMessage: BucketEncryption is not set
              RemediationMessage: Set BucketEncryption with SSE-KMS
              RemediationLink: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html
              SeverityLevel: HIGH
`;
    const stack = await deploy(sim, cfn, 'hooked', template);
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await allEvents(cfn, 'hooked');
    const bucket = events.filter((e) => e.LogicalResourceId === 'Bucket');
    assert.deepEqual(
      bucket.slice(0, 4).map((e) => [e.ResourceStatus, e.HookStatus, e.ResourceStatusReason]),
      [
        ['CREATE_IN_PROGRESS', undefined, undefined],
        ['CREATE_IN_PROGRESS', 'HOOK_IN_PROGRESS', undefined],
        ['CREATE_IN_PROGRESS', 'HOOK_COMPLETE_FAILED', undefined],
        ['CREATE_FAILED', undefined, 'The following hook(s) failed: [Private::Guard::S3Encryption]'],
      ],
    );
    const hookEvent = bucket[2];
    assert.equal(hookEvent?.HookType, 'Private::Guard::S3Encryption');
    assert.equal(hookEvent?.HookStatusReason, 'Template failed validation: BucketEncryption is not set');
    assert.equal(hookEvent?.HookInvocationPoint, 'PRE_PROVISION');
    assert.equal(hookEvent?.HookFailureMode, 'FAIL');
    assert.ok(!bucket.some((e) => e.ResourceStatusReason === 'Resource creation Initiated'), 'nothing was provisioned');

    const createOp = stack.LastOperations?.find((o) => o.OperationType === 'CREATE_STACK')?.OperationId;
    const failed = await operationEvents(cfn, { OperationId: createOp, Filters: { FailedEvents: true } });
    const hookError = failed.find((e) => e.EventType === 'HOOK_INVOCATION_ERROR');
    assert.equal(hookError?.HookType, 'Private::Guard::S3Encryption');
    assert.equal(hookError?.HookStatus, 'HOOK_COMPLETE_FAILED');
    assert.equal(hookError?.HookStatusReason, 'Template failed validation: BucketEncryption is not set');
    assert.equal(hookError?.HookInvocationPoint, 'PRE_PROVISION');
    assert.equal(hookError?.HookFailureMode, 'FAIL');
    assert.ok(failed.some((e) => e.EventType === 'PROVISIONING_ERROR' && e.LogicalResourceId === 'Bucket'));

    const result = await cfn.send(new GetHookResultCommand({ HookResultId: hookEvent?.HookInvocationId }));
    assert.equal(result.HookResultId, hookEvent?.HookInvocationId);
    assert.equal(result.TypeName, 'Private::Guard::S3Encryption');
    assert.equal(result.Status, 'HOOK_COMPLETE_FAILED');
    assert.equal(result.FailureMode, 'FAIL');
    assert.equal(result.InvocationPoint, 'PRE_PROVISION');
    assert.deepEqual(result.Target, { TargetType: 'RESOURCE', TargetTypeName: 'AWS::S3::Bucket', TargetId: 'Bucket', Action: 'CREATE' });
    assert.deepEqual(result.Annotations, [
      {
        AnnotationName: 'S3BucketEncryption',
        Status: 'FAILED',
        StatusMessage: 'BucketEncryption is not set',
        RemediationMessage: 'Set BucketEncryption with SSE-KMS',
        RemediationLink: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html',
        SeverityLevel: 'HIGH',
      },
    ]);
    await assert.rejects(
      cfn.send(new GetHookResultCommand({ HookResultId: '00000000-0000-0000-0000-000000000000' })),
      (e: unknown) => e instanceof HookResultNotFoundException,
    );
  });

  it('a stabilizing resource reports CONFIGURATION_COMPLETE part-way, in DescribeStackEvents and DescribeEvents', async () => {
    const template = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata: { Stackwatch: { Seconds: 10 } }
    Properties: { Runtime: nodejs20.x, Handler: index.handler, Code: { ZipFile: "x" }, Role: arn:aws:iam::123456789012:role/r }
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 10 } }
`;
    await deploy(sim, cfn, 'stable', template);
    const events = await allEvents(cfn, 'stable');
    const fn = events.filter((e) => e.LogicalResourceId === 'Fn');
    const configured = fn.find((e) => e.DetailedStatus === 'CONFIGURATION_COMPLETE');
    assert.equal(configured?.ResourceStatus, 'CREATE_IN_PROGRESS');
    assert.equal(configured?.ResourceStatusReason, 'Eventual consistency check initiated');
    const start = fn[0].Timestamp!.getTime();
    assert.ok(configured?.Timestamp);
    assert.equal(configured.Timestamp.getTime() - start, 6000);
    assert.equal(fn[fn.length - 1]?.ResourceStatus, 'CREATE_COMPLETE');
    assert.equal(fn[fn.length - 1].Timestamp!.getTime() - start, 10000);
    assert.ok(!events.some((e) => e.LogicalResourceId === 'Queue' && e.DetailedStatus !== undefined), 'a queue does not stabilize');

    const viaOperations = await operationEvents(cfn, { StackName: 'stable' });
    const configuredEvent = viaOperations.find((e) => e.DetailedStatus === 'CONFIGURATION_COMPLETE');
    assert.equal(configuredEvent?.LogicalResourceId, 'Fn');
    assert.equal(configuredEvent?.EventType, 'PROGRESS_EVENT');
    assert.equal(configuredEvent?.EndTime, undefined, 'still in progress at that event');
  });
});
