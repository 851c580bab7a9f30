/**
 * Early validation in cfn-sim, through the real SDK: a change set FAILED with "AWS::EarlyValidation"
 * in its reason and VALIDATION_ERROR events (with ValidationPath) from DescribeEvents; a WARN finding
 * that does not block; a name conflict with another stack's resource; DisableValidation.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DescribeEventsCommand, DescribeStackEventsCommand, type CloudFormationClient, type OperationEvent } from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { clientFor, createChangeSetAndWait, deploy } from './support';

const BAD_PROPERTIES = `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties: { BucketName: My_Bucket }
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 50000, DelaySeconds: 10 }
  Fine:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30 }
`;

describe('cfn-sim early validation', () => {
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

  const validationEvents = async (changeSetId: string | undefined, stackName?: string): Promise<OperationEvent[]> =>
    (await cfn.send(new DescribeEventsCommand({ ChangeSetName: changeSetId, StackName: stackName, Filters: { FailedEvents: true } }))).OperationEvents ?? [];

  it('fails a change set on property values, with one VALIDATION_ERROR per finding at its ValidationPath', async () => {
    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'bad', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: BAD_PROPERTIES });
    assert.equal(changeSet.Status, 'FAILED');
    assert.equal(changeSet.ExecutionStatus, 'UNAVAILABLE');
    assert.equal(
      changeSet.StatusReason,
      'The following hook(s)/validation failed: [AWS::EarlyValidation::PropertyValidation]. To troubleshoot Early Validation errors, use the DescribeEvents API for detailed failure information.',
    );
    const byArn = await validationEvents(changeSet.ChangeSetId);
    const byName = await validationEvents('cs', 'bad');
    assert.deepEqual(
      byArn.map((e) => e.EventId),
      byName.map((e) => e.EventId),
    );
    assert.deepEqual(byArn.map((e) => [e.EventType, e.LogicalResourceId, e.ValidationPath, e.ValidationStatusReason]).sort(), [
      [
        'VALIDATION_ERROR',
        'Bucket',
        '/Resources/Bucket/Properties/BucketName',
        'Properties validation failed for resource Bucket with message: #/BucketName: failed validation constraint for keyword [pattern]',
      ],
      [
        'VALIDATION_ERROR',
        'Queue',
        '/Resources/Queue/Properties/VisibilityTimeout',
        'Properties validation failed for resource Queue with message: #/VisibilityTimeout: failed validation constraint for keyword [maximum]',
      ],
    ]);
    for (const event of byArn) {
      assert.equal(event.ValidationName, 'PROPERTY_VALIDATION');
      assert.equal(event.ValidationStatus, 'FAILED');
      assert.equal(event.ValidationFailureMode, 'FAIL');
      assert.equal(event.OperationType, 'CREATE_CHANGESET');
      assert.equal(event.OperationStatus, 'FAILED');
      assert.equal(event.DetailedStatus, 'VALIDATION_FAILED');
      assert.ok(event.OperationId);
    }
    const stackEvents = await cfn.send(new DescribeStackEventsCommand({ StackName: 'bad' }));
    assert.deepEqual(
      stackEvents.StackEvents?.map((e) => e.ResourceStatus),
      ['REVIEW_IN_PROGRESS'],
      'validation errors are only in DescribeEvents',
    );
  });

  it('a WARN finding (deprecated Lambda runtime) leaves the change set executable', async () => {
    const template = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs12.x, Handler: index.handler, Code: { ZipFile: "x" }, Role: arn:aws:iam::123456789012:role/r }
`;
    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'warned', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: template });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE');
    assert.equal(changeSet.ExecutionStatus, 'AVAILABLE');
    assert.equal(changeSet.StatusReason, undefined);
    const [warning, ...others] = await validationEvents(changeSet.ChangeSetId);
    assert.equal(others.length, 0);
    assert.equal(warning?.EventType, 'VALIDATION_ERROR');
    assert.equal(warning?.ValidationFailureMode, 'WARN');
    assert.equal(warning?.ValidationPath, '/Resources/Fn/Properties/Runtime');
    assert.match(warning?.ValidationStatusReason ?? '', /nodejs12\.x is deprecated/);
    assert.equal(warning?.OperationStatus, 'SUCCEEDED');
  });

  it('fails on a name another stack already owns (ResourceExistenceCheck), and DisableValidation skips the checks', async () => {
    const owner = `Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: orders }\n`;
    assert.equal((await deploy(sim, cfn, 'owner', owner)).StackStatus, 'CREATE_COMPLETE');
    const thief = `Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n    Properties: { QueueName: orders }\n`;
    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'thief', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: thief });
    assert.equal(changeSet.Status, 'FAILED');
    assert.match(changeSet.StatusReason ?? '', /^The following hook\(s\)\/validation failed: \[AWS::EarlyValidation::ResourceExistenceCheck\]\./);
    const [conflict] = await validationEvents(changeSet.ChangeSetId);
    assert.equal(conflict?.ValidationName, 'NAME_CONFLICT_VALIDATION');
    assert.equal(conflict?.ValidationPath, '/Resources/Orders/Properties/QueueName');
    assert.equal(conflict?.ValidationStatusReason, "Resource of type 'AWS::SQS::Queue' with identifier 'orders' already exists.");

    // The owner's own update keeps its name: no conflict with itself.
    const ownerUpdate = owner.replace('{ QueueName: orders }', '{ QueueName: orders, DelaySeconds: 5 }');
    const update = await createChangeSetAndWait(sim, cfn, { StackName: 'owner', ChangeSetName: 'up', ChangeSetType: 'UPDATE', TemplateBody: ownerUpdate });
    assert.equal(update.Status, 'CREATE_COMPLETE');

    const unchecked = await createChangeSetAndWait(sim, cfn, {
      StackName: 'thief',
      ChangeSetName: 'unchecked',
      ChangeSetType: 'CREATE',
      TemplateBody: thief,
      DisableValidation: true,
    });
    assert.equal(unchecked.Status, 'CREATE_COMPLETE');
    assert.deepEqual(await validationEvents(unchecked.ChangeSetId), []);
  });
});
