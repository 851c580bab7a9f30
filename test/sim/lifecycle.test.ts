/**
 * Stack lifecycles in cfn-sim, through the real SDK: creates, failures with cancellation and
 * rollback, updates with replacement, cancel, continue-rollback, deletes. Time is frozen
 * (speed 0) and moved with advance(), so event timings are exact.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CancelUpdateStackCommand,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  RollbackStackCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, allEvents, clientFor, createChangeSetAndWait, deploy, describeStack, eventLines } from './support';

const seconds = (events: StackEvent[], line: string, from: Date): number => {
  const event = events.find((e) => `${e.LogicalResourceId} ${e.ResourceStatus}${e.ResourceStatusReason ? ` ${e.ResourceStatusReason}` : ''}` === line);
  assert.ok(event?.Timestamp, `no event "${line}"`);
  return (event.Timestamp.getTime() - from.getTime()) / 1000;
};

const after_ = (events: StackEvent[], token: string): StackEvent[] => events.slice(events.findIndex((e) => e.ClientRequestToken === token));

describe('cfn-sim lifecycles', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0, changeSetSeconds: 2 });
    cfn = clientFor(sim);
  });
  beforeEach(() => sim.reset());
  after(async () => {
    cfn.destroy();
    await sim.close();
  });

  it('creates resources in dependency order, independent ones in parallel, with real event shapes', async () => {
    const template = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 3 } }
    Properties:
      QueueName: !Sub '\${Bucket}-queue'
Outputs:
  QueueUrl:
    Value: !Ref Queue
`;
    const stack = await deploy(sim, cfn, 'app', template, { token: 'tok-create' });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const events = after_(await allEvents(cfn, 'app'), 'tok-create');
    assert.deepEqual(eventLines(events, { reasons: true }), [
      'app CREATE_IN_PROGRESS User Initiated',
      'Bucket CREATE_IN_PROGRESS',
      'Topic CREATE_IN_PROGRESS',
      'Bucket CREATE_IN_PROGRESS Resource creation Initiated',
      'Topic CREATE_IN_PROGRESS Resource creation Initiated',
      'Bucket CREATE_COMPLETE',
      'Queue CREATE_IN_PROGRESS',
      'Topic CREATE_COMPLETE',
      'Queue CREATE_IN_PROGRESS Resource creation Initiated',
      'Queue CREATE_COMPLETE',
      'app CREATE_COMPLETE',
    ]);
    const start = events[0].Timestamp!;
    assert.equal(seconds(events, 'Topic CREATE_COMPLETE', start), 2);
    assert.equal(seconds(events, 'Queue CREATE_IN_PROGRESS', start), 2, 'the queue starts when the bucket it refers to is complete');
    assert.equal(seconds(events, 'app CREATE_COMPLETE', start), 5);
    assert.ok(
      events.every((e) => e.ClientRequestToken === 'tok-create'),
      'every event carries the execution token',
    );
    assert.equal(events[1]?.PhysicalResourceId, undefined, 'no physical ID before creation is initiated');
    assert.ok(events[1]?.ResourceProperties === '{}');
    const bucket = events.find((e) => e.LogicalResourceId === 'Bucket' && e.ResourceStatus === 'CREATE_COMPLETE')?.PhysicalResourceId ?? '';
    assert.match(bucket, /^app-bucket-[a-z0-9]{12}$/);
    assert.equal(stack.Outputs?.[0]?.OutputValue, `https://sqs.us-east-1.amazonaws.com/123456789012/${bucket}-queue`);
    assert.match(events[0].EventId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(new Set(events.map((e) => e.EventId)).size, events.length);

    const resources = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }));
    assert.deepEqual(
      resources.StackResources?.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`),
      ['Bucket CREATE_COMPLETE', 'Topic CREATE_COMPLETE', 'Queue CREATE_COMPLETE'],
    );
    assert.match(resources.StackResources?.[1]?.PhysicalResourceId ?? '', /^arn:aws:sns:us-east-1:123456789012:app-Topic-[A-Z0-9]{12}$/);
  });

  it('a failing create cancels what is in flight, never starts what waits, and rolls back', async () => {
    const template = `Resources:
  Fast:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 1 } }
  Slow:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 10 } }
  Broken:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Seconds: 3, Fail: 'Invalid parameter: DisplayName' } }
  Later:
    Type: AWS::SQS::Queue
    DependsOn: Broken
`;
    const stack = await deploy(sim, cfn, 'broken', template, { token: 'tok-1' });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = after_(await allEvents(cfn, 'broken'), 'tok-1');
    const lines = eventLines(events, { reasons: true });
    assert.deepEqual(lines.slice(lines.indexOf('Broken CREATE_FAILED Invalid parameter: DisplayName')), [
      'Broken CREATE_FAILED Invalid parameter: DisplayName',
      'Slow CREATE_FAILED Resource creation cancelled',
      'broken ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Broken, Slow]. Rollback requested by user.',
      'Fast DELETE_IN_PROGRESS',
      'Slow DELETE_IN_PROGRESS',
      'Broken DELETE_IN_PROGRESS',
      'Fast DELETE_COMPLETE',
      'Broken DELETE_COMPLETE',
      'Slow DELETE_COMPLETE',
      'broken ROLLBACK_COMPLETE',
    ]);
    assert.ok(!lines.some((l) => l.startsWith('Later')), 'a resource waiting on the failed one never starts');
    const start = events[0].Timestamp!;
    assert.equal(seconds(events, 'Slow CREATE_FAILED Resource creation cancelled', start), 3);
    assert.equal(stack.Outputs, undefined);

    await assert.rejects(
      cfn.send(new CreateChangeSetCommand({ StackName: 'broken', ChangeSetName: 'again', ChangeSetType: 'UPDATE', TemplateBody: template })),
      (e: Error) => e.name === 'ValidationError' && e.message === `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`,
    );
    await assert.rejects(
      cfn.send(new CreateChangeSetCommand({ StackName: 'broken', ChangeSetName: 'again', ChangeSetType: 'CREATE', TemplateBody: template })),
      (e: Error) => e.name === 'ValidationError' && e.message === 'Stack [broken] already exists and cannot be created again with the changeSet [again].',
    );
  });

  it('updates with a replacement: the change set says so, the new resource comes first and the old one goes in cleanup', async () => {
    const v1 = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: { BucketName: site-v1 }
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument: { Statement: [] }
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30 }
  Topic:
    Type: AWS::SNS::Topic
    DeletionPolicy: Delete
`;
    const v2 = v1
      .replace('site-v1', 'site-v2')
      .replace('VisibilityTimeout: 30', 'VisibilityTimeout: 60')
      .replace(/ {2}Topic:[\s\S]*$/, '  Extra:\n    Type: AWS::SQS::Queue\n');
    const created = await deploy(sim, cfn, 'site', v1);
    const oldTopic = sim.stacks()[0]?.resources.find((r) => r.logicalId === 'Topic')?.physicalId;

    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'site', ChangeSetName: 'v2', ChangeSetType: 'UPDATE', TemplateBody: v2 });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE');
    assert.equal(changeSet.ExecutionStatus, 'AVAILABLE');
    const byId = new Map(changeSet.Changes?.map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange]));
    assert.deepEqual([...byId.keys()], ['Bucket', 'Policy', 'Queue', 'Extra', 'Topic']);
    assert.deepEqual(byId.get('Bucket'), {
      PolicyAction: 'ReplaceAndDelete',
      Action: 'Modify',
      LogicalResourceId: 'Bucket',
      PhysicalResourceId: 'site-v1',
      ResourceType: 'AWS::S3::Bucket',
      Replacement: 'True',
      Scope: ['Properties'],
      Details: [
        { Target: { Attribute: 'Properties', Name: 'BucketName', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' },
      ],
    });
    const policy = byId.get('Policy');
    assert.equal(policy?.Replacement, 'Conditional', 'the policy refers to a bucket being replaced');
    assert.deepEqual(policy?.Details, [
      {
        Target: { Attribute: 'Properties', Name: 'Bucket', RequiresRecreation: 'Always' },
        Evaluation: 'Dynamic',
        ChangeSource: 'ResourceReference',
        CausingEntity: 'Bucket',
      },
    ]);
    assert.equal(byId.get('Queue')?.Replacement, 'False');
    assert.equal(byId.get('Queue')?.PolicyAction, undefined);
    assert.deepEqual(byId.get('Queue')?.Details?.[0]?.Target, { Attribute: 'Properties', Name: 'VisibilityTimeout', RequiresRecreation: 'Never' });
    assert.equal(byId.get('Extra')?.Action, 'Add');
    assert.equal(byId.get('Extra')?.Replacement, undefined);
    assert.deepEqual([byId.get('Topic')?.Action, byId.get('Topic')?.PolicyAction, byId.get('Topic')?.PhysicalResourceId], ['Remove', 'Delete', oldTopic]);

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'v2', StackName: 'site', ClientRequestToken: 'tok-v2' }));
    const updated = await advanceUntil(sim, cfn, 'site', SETTLED);
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE');
    assert.ok(updated.LastUpdatedTime && updated.LastUpdatedTime > created.CreationTime!);
    const events = after_(await allEvents(cfn, 'site'), 'tok-v2');
    const bucketEvents = events
      .filter((e) => e.LogicalResourceId === 'Bucket')
      .map((e) => `${e.ResourceStatus} ${e.PhysicalResourceId} ${e.ResourceStatusReason ?? ''}`.trim());
    assert.deepEqual(bucketEvents, [
      'UPDATE_IN_PROGRESS site-v1 Requested update requires the creation of a new physical resource; hence creating one.',
      'UPDATE_IN_PROGRESS site-v2 Resource creation Initiated',
      'UPDATE_COMPLETE site-v2',
      'DELETE_IN_PROGRESS site-v1',
      'DELETE_COMPLETE site-v1',
    ]);
    const stackLines = events.filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack').map((e) => e.ResourceStatus);
    assert.deepEqual(stackLines, ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    const cleanupAt = events.findIndex((e) => String(e.ResourceStatus) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    assert.ok(events.findIndex((e) => e.LogicalResourceId === 'Topic') > cleanupAt, 'removals happen in cleanup');
    assert.ok(
      events.findIndex((e) => e.LogicalResourceId === 'Policy') >
        events.findIndex((e) => e.LogicalResourceId === 'Bucket' && e.ResourceStatus === 'UPDATE_COMPLETE'),
    );

    const view = sim.stacks()[0];
    const resources = new Map(view.resources.map((r) => [r.logicalId, r]));
    assert.deepEqual([...resources.keys()].sort(), ['Bucket', 'Extra', 'Policy', 'Queue']);
    assert.equal(resources.get('Bucket')?.physicalId, 'site-v2');
    assert.deepEqual([...resources.values()].map((r) => r.status).sort(), ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_COMPLETE']);
    const oldPolicy = events.find((e) => e.LogicalResourceId === 'Policy' && e.ResourceStatus === 'DELETE_COMPLETE')?.PhysicalResourceId;
    assert.ok(oldPolicy && oldPolicy !== resources.get('Policy')?.physicalId, 'the conditional replacement did replace the policy');
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'site' }))).TemplateBody, v2);
    assert.deepEqual(
      (await cfn.send(new ListChangeSetsCommand({ StackName: 'site' }))).Summaries?.map((s) => `${s.ChangeSetName} ${s.ExecutionStatus}`),
      ['v2 EXECUTE_COMPLETE'],
    );
  });

  it('CancelUpdateStack cancels in-flight updates and rolls everything back', async () => {
    const v1 = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30 }
  Topic:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: one }
`;
    const v2 = v1
      .replace('VisibilityTimeout: 30', 'VisibilityTimeout: 90')
      .replace('DisplayName: one', 'DisplayName: two')
      .replace('  Queue:\n    Type: AWS::SQS::Queue\n', '  Queue:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 100 } }\n');
    await deploy(sim, cfn, 'busy', v1);
    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'busy', ChangeSetName: 'v2', ChangeSetType: 'UPDATE', TemplateBody: v2 });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId, ClientRequestToken: 'tok-v2' }));
    sim.advance(5);
    assert.equal((await describeStack(cfn, 'busy')).StackStatus, 'UPDATE_IN_PROGRESS');
    await cfn.send(new CancelUpdateStackCommand({ StackName: 'busy', ClientRequestToken: 'tok-cancel' }));
    // The same request again is harmless; a cancel from another status is not.
    await cfn.send(new CancelUpdateStackCommand({ StackName: 'busy', ClientRequestToken: 'tok-cancel' }));
    await assert.rejects(
      cfn.send(new CancelUpdateStackCommand({ StackName: 'busy' })),
      (e: Error) => e.name === 'ValidationError' && e.message === 'CancelUpdateStack cannot be called from current stack status',
    );

    const stack = await advanceUntil(sim, cfn, 'busy', SETTLED);
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = after_(await allEvents(cfn, 'busy'), 'tok-v2');
    assert.deepEqual(eventLines(events, { reasons: true }), [
      'busy UPDATE_IN_PROGRESS User Initiated',
      'Queue UPDATE_IN_PROGRESS',
      'Topic UPDATE_IN_PROGRESS',
      'Topic UPDATE_COMPLETE',
      'busy UPDATE_ROLLBACK_IN_PROGRESS User Initiated',
      'Queue UPDATE_FAILED Resource update cancelled',
      'Queue UPDATE_IN_PROGRESS',
      'Topic UPDATE_IN_PROGRESS',
      'Topic UPDATE_COMPLETE',
      'Queue UPDATE_COMPLETE',
      'busy UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'busy UPDATE_ROLLBACK_COMPLETE',
    ]);
    assert.ok(
      events.slice(4).every((e) => e.ClientRequestToken === 'tok-cancel'),
      'the rollback carries the cancel token',
    );
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'busy' }))).TemplateBody, v1, 'the stack is back on the old template');
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    assert.equal(described.ExecutionStatus, 'EXECUTE_FAILED');
  });

  describe('a rollback that fails', () => {
    const v1 = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30 }
  Topic:
    Type: AWS::SNS::Topic
`;
    const v2 = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 4, FailRollback: 'Queue cannot be restored' } }
    Properties: { VisibilityTimeout: 60 }
  Topic:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Fail: 'Update refused' } }
`;

    async function leaveStuck(name: string): Promise<void> {
      await deploy(sim, cfn, name, v1);
      const stack = await deploy(sim, cfn, name, v2, { update: true, token: 'tok-v2' });
      assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_FAILED');
      assert.equal(stack.StackStatusReason, 'The following resource(s) failed to update: [Queue]. ');
      const events = eventLines(after_(await allEvents(cfn, name), 'tok-v2'), { reasons: true });
      assert.ok(events.includes(`${name} UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to update: [Topic, Queue]. `), events.join('\n'));
      assert.ok(events.includes('Topic UPDATE_FAILED Update refused'));
      assert.ok(events.includes('Queue UPDATE_FAILED Resource update cancelled'));
      assert.ok(events.includes('Queue UPDATE_FAILED Queue cannot be restored'));
    }

    it('ContinueUpdateRollback retries the failed resource and finishes the rollback', async () => {
      await leaveStuck('stuck');
      await assert.rejects(cfn.send(new CancelUpdateStackCommand({ StackName: 'stuck' })), /CancelUpdateStack cannot be called from current stack status/);
      await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'stuck', ClientRequestToken: 'tok-continue' }));
      const stack = await advanceUntil(sim, cfn, 'stuck', SETTLED);
      assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      const tail = eventLines(after_(await allEvents(cfn, 'stuck'), 'tok-continue'));
      assert.deepEqual(tail, [
        'stuck UPDATE_ROLLBACK_IN_PROGRESS',
        'Queue UPDATE_IN_PROGRESS',
        'Queue UPDATE_COMPLETE',
        'stuck UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
        'stuck UPDATE_ROLLBACK_COMPLETE',
      ]);
    });

    it('ResourcesToSkip marks the resource UPDATE_COMPLETE and goes on', async () => {
      await leaveStuck('skipper');
      await assert.rejects(
        cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skipper', ResourcesToSkip: ['Topic'] })),
        (e: Error) => e.name === 'ValidationError' && /only resources in UPDATE_FAILED state/.test(e.message),
      );
      await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skipper', ResourcesToSkip: ['Queue'], ClientRequestToken: 'tok-skip' }));
      const stack = await advanceUntil(sim, cfn, 'skipper', SETTLED);
      assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      assert.deepEqual(eventLines(after_(await allEvents(cfn, 'skipper'), 'tok-skip'), { reasons: true }), [
        'skipper UPDATE_ROLLBACK_IN_PROGRESS User Initiated',
        'Queue UPDATE_COMPLETE Resource skipped during rollback',
        'skipper UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
        'skipper UPDATE_ROLLBACK_COMPLETE',
      ]);
      await assert.rejects(
        cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'skipper' })),
        /ContinueUpdateRollback cannot be called from current stack status/,
      );
    });

    it('a create whose rollback fails ends ROLLBACK_FAILED, and DeleteStack still works', async () => {
      const stack = await deploy(
        sim,
        cfn,
        'dead',
        `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { FailRollback: 'queue is in use' } }
  Topic:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Seconds: 3, Fail: 'boom' } }
`,
      );
      assert.equal(stack.StackStatus, 'ROLLBACK_FAILED');
      assert.equal(stack.StackStatusReason, 'The following resource(s) failed to delete: [Queue]. ');
      await cfn.send(new DeleteStackCommand({ StackName: 'dead' }));
      const deleted = await advanceUntil(sim, cfn, stack.StackId!, SETTLED);
      assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    });
  });

  it('a delete that fails ends DELETE_FAILED; FORCE_DELETE_STACK then skips the resource', async () => {
    const created = await deploy(
      sim,
      cfn,
      'sticky',
      `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Metadata: { Stackwatch: { Fail: 'The bucket you tried to delete is not empty', FailOn: delete } }
  Queue:
    Type: AWS::SQS::Queue
  Kept:
    Type: AWS::SNS::Topic
    DeletionPolicy: Retain
`,
    );
    assert.equal(created.StackStatus, 'CREATE_COMPLETE', 'FailOn: delete leaves the create alone');
    await assert.rejects(
      cfn.send(new DeleteStackCommand({ StackName: 'sticky', DeletionMode: 'FORCE_DELETE_STACK' })),
      (e: Error) => e.name === 'ValidationError',
    );
    await cfn.send(new DeleteStackCommand({ StackName: 'sticky', ClientRequestToken: 'tok-del' }));
    const failed = await advanceUntil(sim, cfn, 'sticky', SETTLED);
    assert.equal(failed.StackStatus, 'DELETE_FAILED');
    assert.equal(failed.StackStatusReason, 'The following resource(s) failed to delete: [Bucket]. ');
    await cfn.send(new DeleteStackCommand({ StackName: 'sticky', DeletionMode: 'FORCE_DELETE_STACK', ClientRequestToken: 'tok-force' }));
    const gone = await advanceUntil(sim, cfn, created.StackId!, SETTLED);
    assert.equal(gone.StackStatus, 'DELETE_COMPLETE');
    assert.ok(gone.DeletionTime);
    const tail = eventLines(after_(await allEvents(cfn, created.StackId!), 'tok-force'));
    assert.deepEqual(tail, ['sticky DELETE_IN_PROGRESS', 'Bucket DELETE_SKIPPED', 'sticky DELETE_COMPLETE']);
    const firstDelete = eventLines(after_(await allEvents(cfn, created.StackId!), 'tok-del'));
    assert.ok(firstDelete.includes('Kept DELETE_SKIPPED'), 'DeletionPolicy Retain skips the delete');

    // A deleted stack is only describable by its ID; by name it does not exist, and deleting it again is fine.
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'sticky' })), (e: Error) => e.message === 'Stack with id sticky does not exist');
    assert.deepEqual((await cfn.send(new DescribeStacksCommand({}))).Stacks, []);
    await cfn.send(new DeleteStackCommand({ StackName: 'sticky' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'never-existed' }));
  });

  it('DisableRollback leaves CREATE_FAILED, and RollbackStack rolls it back', async () => {
    const stack = await deploy(
      sim,
      cfn,
      'norollback',
      `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Fail: 'boom' } }
`,
      { disableRollback: true },
    );
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    assert.equal(stack.StackStatusReason, 'The following resource(s) failed to create: [Topic]. ');
    assert.equal(stack.DisableRollback, true);
    const result = await cfn.send(new RollbackStackCommand({ StackName: 'norollback', ClientRequestToken: 'tok-rb' }));
    assert.equal(result.StackId, stack.StackId);
    assert.ok(result.OperationId);
    const rolled = await advanceUntil(sim, cfn, 'norollback', SETTLED);
    assert.equal(rolled.StackStatus, 'ROLLBACK_COMPLETE');
    await assert.rejects(cfn.send(new RollbackStackCommand({ StackName: 'norollback' })), (e: Error) => e.name === 'ValidationError');
  });

  it('UPDATE_FAILED can be redeployed or rolled back; a rollback makes pending change sets OBSOLETE', async () => {
    const v1 = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 30 }\n';
    await deploy(sim, cfn, 'halfway', v1);
    const v2 = `${v1.replace('30', '45')}  Bad:\n    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Seconds: 3, Fail: 'nope' } }\n`;
    const failed = await deploy(sim, cfn, 'halfway', v2, { update: true, disableRollback: true });
    assert.equal(failed.StackStatus, 'UPDATE_FAILED');
    assert.equal(failed.StackStatusReason, 'The following resource(s) failed to create: [Bad]. ');
    const pending = await createChangeSetAndWait(sim, cfn, { StackName: 'halfway', ChangeSetName: 'retry', TemplateBody: v1.replace('30', '60') });
    assert.equal(pending.ExecutionStatus, 'AVAILABLE', 'an UPDATE_FAILED stack can be updated');
    await cfn.send(new RollbackStackCommand({ StackName: 'halfway' }));
    const rolled = await advanceUntil(sim, cfn, 'halfway', SETTLED);
    assert.equal(rolled.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.deepEqual(
      sim.stacks()[0]?.resources.map((r) => `${r.logicalId} ${r.status}`),
      ['Queue UPDATE_COMPLETE'],
      'the failed addition is cleaned up',
    );
    const stale = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: pending.ChangeSetId }));
    assert.equal(stale.ExecutionStatus, 'OBSOLETE');
    await assert.rejects(
      cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: pending.ChangeSetId })),
      (e: Error) => e.name === 'InvalidChangeSetStatusException',
    );
  });

  it('an update adding a failing resource rolls back and deletes it in rollback cleanup', async () => {
    const v1 = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: { VisibilityTimeout: 30 }\n';
    await deploy(sim, cfn, 'grow', v1);
    const v2 = `${v1.replace('30', '45')}  Table:\n    Type: AWS::DynamoDB::Table\n    Metadata: { Stackwatch: { Seconds: 5 } }\n  Bad:\n    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Seconds: 3, Fail: 'nope' } }\n`;
    const stack = await deploy(sim, cfn, 'grow', v2, { update: true, token: 'tok-grow' });
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const lines = eventLines(after_(await allEvents(cfn, 'grow'), 'tok-grow'), { reasons: true });
    assert.ok(lines.includes('grow UPDATE_ROLLBACK_IN_PROGRESS The following resource(s) failed to create: [Bad, Table]. '), lines.join('\n'));
    const cleanup = lines.indexOf('grow UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    assert.ok(
      cleanup > 0 &&
        lines.indexOf('Table DELETE_COMPLETE') > cleanup &&
        lines.indexOf('Queue UPDATE_COMPLETE', lines.indexOf('grow UPDATE_ROLLBACK_IN_PROGRESS')) < cleanup,
    );
    assert.deepEqual(
      sim.stacks()[0]?.resources.map((r) => `${r.logicalId} ${r.status}`),
      ['Queue UPDATE_COMPLETE'],
    );
  });

  it('an unchanged template gives the empty change set, which cannot be executed', async () => {
    const template = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n';
    await deploy(sim, cfn, 'same', template);
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'same',
      ChangeSetName: 'nothing',
      ChangeSetType: 'UPDATE',
      TemplateBody: `# a comment changes nothing\n${template}`,
    });
    assert.equal(changeSet.Status, 'FAILED');
    assert.equal(changeSet.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    assert.equal(changeSet.ExecutionStatus, 'UNAVAILABLE');
    assert.deepEqual(changeSet.Changes, []);
    await assert.rejects(
      cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId })),
      (e: Error) => e.name === 'InvalidChangeSetStatusException',
    );
  });

  it('executing is idempotent per token and removes the stack’s other change sets', async () => {
    const template = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n';
    const first = await createChangeSetAndWait(sim, cfn, { StackName: 'twice', ChangeSetName: 'a', ChangeSetType: 'CREATE', TemplateBody: template });
    const second = await createChangeSetAndWait(sim, cfn, { StackName: 'twice', ChangeSetName: 'b', ChangeSetType: 'CREATE', TemplateBody: template });
    assert.equal(second.StackId, first.StackId, 'both CREATE change sets share the REVIEW_IN_PROGRESS stack');
    assert.equal((await describeStack(cfn, 'twice')).StackStatus, 'REVIEW_IN_PROGRESS');
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'a', StackName: 'twice', ClientRequestToken: 'tok-a' }));
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'a', StackName: 'twice', ClientRequestToken: 'tok-a' }));
    await assert.rejects(
      cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'a', StackName: 'twice' })),
      (e: Error) => e.name === 'InvalidChangeSetStatusException',
    );
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: second.ChangeSetId })), (e: Error) => e.name === 'ChangeSetNotFoundException');
    await advanceUntil(sim, cfn, 'twice', SETTLED);
    const events = await allEvents(cfn, 'twice');
    assert.equal(events.filter((e) => e.ResourceStatus === 'CREATE_COMPLETE' && e.LogicalResourceId === 'twice').length, 1, 'executed once');
  });
});
