/**
 * Drift injection (POST /_sim/drift) and drift-aware change sets (DeploymentMode REVERT_DRIFT)
 * through the real SDK: a drifted property is changed back even when the template did not change,
 * with the actual value as BeforeValue (BeforeValueFrom ACTUAL_STATE) and Target.Drift telling the
 * previous and actual values; a template brought in line with the actual value only resets the
 * drift (SyncWithActual); a resource deleted out of band is created again. Plain change sets
 * ignore drift, as CloudFormation's do.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DescribeChangeSetCommand,
  DescribeStackResourcesCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
  type ResourceChange,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, clientFor, createChangeSetAndWait, deploy } from './support';

const TEMPLATE = (timeout: number): string => `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: ${timeout}, DelaySeconds: 0 }
  Topic:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: alerts }
`;

async function drift(sim: CfnSim, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}/_sim/drift`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const change = (changes: { ResourceChange?: ResourceChange }[] | undefined, id: string): ResourceChange | undefined =>
  changes?.find((c) => c.ResourceChange?.LogicalResourceId === id)?.ResourceChange;

describe('cfn-sim drift and REVERT_DRIFT change sets', () => {
  let sim: CfnSim;
  let cfn: CloudFormationClient;
  let n = 0;
  /** Values and drift details are only in DescribeChangeSet with IncludePropertyValues. */
  const driftAware = async (body: string): Promise<DescribeChangeSetCommandOutput> => {
    const made = await createChangeSetAndWait(sim, cfn, {
      StackName: 'app',
      ChangeSetName: `revert-${++n}`,
      TemplateBody: body,
      DeploymentMode: 'REVERT_DRIFT',
    });
    return cfn.send(new DescribeChangeSetCommand({ ChangeSetName: made.ChangeSetId, IncludePropertyValues: true }));
  };

  before(async () => {
    sim = await startCfnSim({ speed: 0 });
    cfn = clientFor(sim);
  });
  after(async () => {
    cfn.destroy();
    await sim.close();
  });
  beforeEach(async () => {
    sim.reset();
    await deploy(sim, cfn, 'app', TEMPLATE(30));
  });

  it('the control route sets actual values and refuses resources that do not exist', async () => {
    const set = await drift(sim, { stackName: 'app', logicalId: 'Queue', properties: { VisibilityTimeout: 90 } });
    assert.equal(set.status, 200);
    assert.equal(set.json['status'], 'MODIFIED');
    assert.deepEqual(set.json['actual'], { VisibilityTimeout: 90, DelaySeconds: 0 });
    const missing = await drift(sim, { stackName: 'app', logicalId: 'Nope', properties: {} });
    assert.equal(missing.status, 400);
    assert.match(String(missing.json['error']), /Resource Nope does not exist/);
    const cleared = await drift(sim, { stackName: 'app', logicalId: 'Queue', clear: true });
    assert.equal(cleared.json['status'], 'IN_SYNC');
  });

  it('reverts drift the template did not change, showing the actual value and the drift', async () => {
    await drift(sim, { stackName: 'app', logicalId: 'Queue', properties: { VisibilityTimeout: 90 } });
    const plain = await createChangeSetAndWait(sim, cfn, { StackName: 'app', ChangeSetName: 'plain', TemplateBody: TEMPLATE(30) });
    assert.equal(plain.Status, 'FAILED', 'a plain change set does not see drift');

    const described = await driftAware(TEMPLATE(30));
    assert.equal(described.Status, 'CREATE_COMPLETE');
    assert.equal(described.DeploymentMode, 'REVERT_DRIFT');
    assert.equal(change(described.Changes, 'Topic'), undefined, 'in-sync, unchanged resources are not listed');
    const queue = change(described.Changes, 'Queue');
    assert.equal(queue?.Action, 'Modify');
    assert.equal(queue?.ResourceDriftStatus, 'MODIFIED');
    assert.equal(queue?.Details?.length, 1);
    const target = queue?.Details?.[0]?.Target;
    assert.equal(target?.Name, 'VisibilityTimeout');
    assert.equal(target?.BeforeValue, '90');
    assert.equal(target?.AfterValue, '30');
    assert.equal(target?.BeforeValueFrom, 'ACTUAL_STATE');
    assert.equal(target?.AfterValueFrom, 'TEMPLATE');
    assert.deepEqual({ ...target?.Drift }, { PreviousValue: '30', ActualValue: '90' });
    assert.equal((JSON.parse(queue?.BeforeContext ?? '{}') as { Properties: Record<string, unknown> }).Properties['VisibilityTimeout'], 90);
    const withoutValues = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: described.ChangeSetId }));
    assert.equal(change(withoutValues.Changes, 'Queue')?.Details?.[0]?.Target?.Drift, undefined, 'values only with IncludePropertyValues');
    assert.equal(change(withoutValues.Changes, 'Queue')?.ResourceDriftStatus, 'MODIFIED');

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: described.ChangeSetId }));
    assert.equal((await advanceUntil(sim, cfn, 'app', SETTLED)).StackStatus, 'UPDATE_COMPLETE');
    const again = await driftAware(TEMPLATE(30));
    assert.equal(again.Status, 'FAILED', 'nothing left to revert');
  });

  it('a template brought in line with the actual value only resets the drift (SyncWithActual)', async () => {
    await drift(sim, { stackName: 'app', logicalId: 'Queue', properties: { VisibilityTimeout: 90 } });
    const described = await driftAware(TEMPLATE(90));
    const queue = change(described.Changes, 'Queue');
    assert.equal(queue?.ResourceDriftStatus, 'MODIFIED');
    const detail = queue?.Details?.[0];
    assert.equal(detail?.Target?.AttributeChangeType, 'SyncWithActual');
    assert.equal(detail?.ChangeSource, 'NoModification');
    assert.equal(detail?.Target?.BeforeValue, '90');
    assert.equal(detail?.Target?.AfterValue, '90');
  });

  it('a resource deleted out of band is created again, and a template change of an in-sync resource says IN_SYNC', async () => {
    await drift(sim, { stackName: 'app', logicalId: 'Topic', deleted: true });
    const described = await driftAware(TEMPLATE(45));
    const topic = change(described.Changes, 'Topic');
    assert.equal(topic?.Action, 'Add');
    assert.equal(topic?.ResourceDriftStatus, 'DELETED');
    const queue = change(described.Changes, 'Queue');
    assert.equal(queue?.ResourceDriftStatus, 'IN_SYNC');
    assert.equal(queue?.Details?.[0]?.Target?.BeforeValueFrom, 'PREVIOUS_DEPLOYMENT_STATE');
    const oldTopic = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app', LogicalResourceId: 'Topic' }))).StackResources?.[0]
      ?.PhysicalResourceId;
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: described.ChangeSetId }));
    assert.equal((await advanceUntil(sim, cfn, 'app', SETTLED)).StackStatus, 'UPDATE_COMPLETE');
    const newTopic = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app', LogicalResourceId: 'Topic' }))).StackResources?.[0]
      ?.PhysicalResourceId;
    assert.ok(newTopic !== undefined && newTopic !== oldTopic, 'recreated with a new physical ID');
  });

  it('REVERT_DRIFT is refused for a CREATE change set', async () => {
    const failed = await createChangeSetAndWait(sim, cfn, {
      StackName: 'fresh',
      ChangeSetName: 'c',
      ChangeSetType: 'CREATE',
      TemplateBody: TEMPLATE(1),
      DeploymentMode: 'REVERT_DRIFT',
    });
    assert.equal(failed.Status, 'FAILED');
    assert.match(failed.StatusReason ?? '', /REVERT_DRIFT/);
  });
});
