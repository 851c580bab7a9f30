/**
 * IncludeNestedStacks change sets through the real SDK: the parent's change for an
 * AWS::CloudFormation::Stack resource points at a nested change set (ParentChangeSetId,
 * RootChangeSetId) that DescribeChangeSet lists by its ARN; executing the root executes the tree;
 * deleting the root deletes the nested ones; a nested set cannot be executed on its own.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, clientFor, createChangeSetAndWait, deploy, describeStack } from './support';

const CHILD = `Parameters:
  Size: { Type: Number }
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: !Ref Size }
`;
const parent = (url: string, size: number): string => `Resources:
  Worker:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
      Parameters: { Size: ${size} }
  Topic:
    Type: AWS::SNS::Topic
`;

describe('cfn-sim IncludeNestedStacks change sets', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  after(async () => {
    cfn.destroy();
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('creates a nested change set per nested stack and executes the tree from the root', async () => {
    const url = sim.putObject('tpl', 'worker.yaml', CHILD);
    const root = await createChangeSetAndWait(sim, cfn, {
      StackName: 'svc',
      ChangeSetName: 'first',
      ChangeSetType: 'CREATE',
      TemplateBody: parent(url, 30),
      IncludeNestedStacks: true,
    });
    assert.equal(root.Status, 'CREATE_COMPLETE');
    assert.equal(root.IncludeNestedStacks, true);
    assert.equal(root.ParentChangeSetId, undefined);
    const worker = root.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === 'Worker')?.ResourceChange;
    assert.equal(worker?.Action, 'Add');
    const nestedId = worker?.ChangeSetId ?? '';
    assert.match(nestedId, /^arn:aws:cloudformation:us-east-1:123456789012:changeSet\//);

    const nested = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: nestedId }));
    assert.equal(nested.ParentChangeSetId, root.ChangeSetId);
    assert.equal(nested.RootChangeSetId, root.ChangeSetId);
    assert.equal(nested.Status, 'CREATE_COMPLETE');
    assert.deepEqual(
      nested.Changes?.map((c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`),
      ['Add Queue'],
    );
    const child = await describeStack(cfn, nested.StackId ?? '');
    assert.equal(child.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(child.ParentId, root.StackId);
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: nestedId })), /nested change set/);

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: root.ChangeSetId }));
    const done = await advanceUntil(sim, cfn, 'svc', SETTLED);
    assert.equal(done.StackStatus, 'CREATE_COMPLETE');
    const workerId = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'svc', LogicalResourceId: 'Worker' }))).StackResources?.[0]
      ?.PhysicalResourceId;
    assert.equal(workerId, nested.StackId, 'the nested change set’s stack is the one the parent created');
    assert.equal((await describeStack(cfn, workerId ?? '')).StackStatus, 'CREATE_COMPLETE');
    const executed = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: nestedId }));
    assert.equal(executed.ExecutionStatus, 'EXECUTE_COMPLETE');
  });

  it('an update shows the nested stack’s own changes, and deleting the root deletes the nested change set', async () => {
    const url = sim.putObject('tpl', 'worker.yaml', CHILD);
    await deploy(sim, cfn, 'svc', parent(url, 30));
    const root = await createChangeSetAndWait(sim, cfn, {
      StackName: 'svc',
      ChangeSetName: 'bigger',
      TemplateBody: parent(url, 60),
      IncludeNestedStacks: true,
    });
    const worker = root.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === 'Worker')?.ResourceChange;
    assert.equal(worker?.Action, 'Modify');
    const nested = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: worker?.ChangeSetId, IncludePropertyValues: true }));
    const detail = nested.Changes?.[0]?.ResourceChange?.Details?.[0];
    assert.equal(nested.Changes?.[0]?.ResourceChange?.LogicalResourceId, 'Queue');
    assert.equal(detail?.Target?.Name, 'VisibilityTimeout');
    assert.equal(detail?.Target?.BeforeValue, '30');
    assert.equal(detail?.Target?.AfterValue, '60');
    const childName = nested.StackName ?? '';
    assert.deepEqual(
      (await cfn.send(new ListChangeSetsCommand({ StackName: childName }))).Summaries?.map((s) => s.ParentChangeSetId),
      [root.ChangeSetId],
    );

    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: root.ChangeSetId }));
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: childName }))).Summaries, []);
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: worker?.ChangeSetId })), (e: Error) => e.name === 'ChangeSetNotFoundException');
  });

  it('nests two levels deep: the grandchild’s change set and stack point at the root', async () => {
    const leaf = sim.putObject('tpl', 'leaf.yaml', CHILD);
    const middle = sim.putObject('tpl', 'middle.yaml', parent(leaf, 10));
    const root = await createChangeSetAndWait(sim, cfn, {
      StackName: 'deep',
      ChangeSetName: 'tree',
      ChangeSetType: 'CREATE',
      TemplateBody: `Resources:\n  App:\n    Type: AWS::CloudFormation::Stack\n    Properties: { TemplateURL: "${middle}" }\n`,
      IncludeNestedStacks: true,
    });
    const appSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: root.Changes?.[0]?.ResourceChange?.ChangeSetId }));
    const workerId = appSet.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === 'Worker')?.ResourceChange?.ChangeSetId;
    const workerSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: workerId }));
    assert.equal(workerSet.ParentChangeSetId, appSet.ChangeSetId);
    assert.equal(workerSet.RootChangeSetId, root.ChangeSetId);
    assert.deepEqual(
      workerSet.Changes?.map((c) => c.ResourceChange?.LogicalResourceId),
      ['Queue'],
    );

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: root.ChangeSetId }));
    assert.equal((await advanceUntil(sim, cfn, 'deep', SETTLED)).StackStatus, 'CREATE_COMPLETE');
    const leafStack = await describeStack(cfn, workerSet.StackId ?? '');
    assert.equal(leafStack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(leafStack.ParentId, appSet.StackId);
    assert.equal(leafStack.RootId, root.StackId);
    assert.match(leafStack.StackName ?? '', /^deep-App-[A-Z0-9]{12}-Worker-[A-Z0-9]{12}$/);
  });

  it('an unchanged nested stack is still a Modify with ChangeSource Automatic, as CloudFormation cannot see into it', async () => {
    const url = sim.putObject('tpl', 'worker.yaml', CHILD);
    await deploy(sim, cfn, 'svc', parent(url, 30));
    const root = await createChangeSetAndWait(sim, cfn, {
      StackName: 'svc',
      ChangeSetName: 'same',
      TemplateBody: parent(url, 30).replace('AWS::SNS::Topic', 'AWS::SNS::Topic\n    Properties: { DisplayName: x }'),
    });
    const worker = root.Changes?.find((c) => c.ResourceChange?.LogicalResourceId === 'Worker')?.ResourceChange;
    assert.equal(worker?.Action, 'Modify');
    assert.deepEqual(
      worker?.Details?.map((d) => [d.ChangeSource, d.Evaluation]),
      [['Automatic', 'Dynamic']],
    );
  });
});
