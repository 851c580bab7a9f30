/**
 * CreateChangeSet's deployment options in cfn-sim, through the real SDK: DeploymentConfig EXPRESS
 * (with DisableRollback), OnStackFailure DELETE and DO_NOTHING, ImportExistingResources.
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  DescribeEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClient,
  type CreateChangeSetCommandInput,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, allEvents, clientFor, createChangeSetAndWait } from './support';

const FAILING = `Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Metadata: { Stackwatch: { Seconds: 10 } }
    Properties: { KeySchema: [] }
  Bad:
    Type: AWS::SNS::Topic
    Metadata: { Stackwatch: { Seconds: 3, Fail: "Topic limit exceeded" } }
`;

describe('cfn-sim deployment options', () => {
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

  async function run(stackName: string, template: string, extra: Partial<CreateChangeSetCommandInput>): Promise<Stack> {
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: stackName,
      ChangeSetName: 'cs',
      ChangeSetType: 'CREATE',
      TemplateBody: template,
      ...extra,
    });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE', changeSet.StatusReason);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    return advanceUntil(sim, cfn, stackName, SETTLED);
  }

  it('EXPRESS: stabilizing resources complete at configuration complete; DescribeChangeSet echoes the DeploymentConfig', async () => {
    const template = `Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Metadata: { Stackwatch: { Seconds: 10 } }\n    Properties: { KeySchema: [] }\n`;
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'fast',
      ChangeSetName: 'cs',
      ChangeSetType: 'CREATE',
      TemplateBody: template,
      DeploymentConfig: { Mode: 'EXPRESS' },
    });
    assert.deepEqual(changeSet.DeploymentConfig, { Mode: 'EXPRESS' });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    assert.equal((await advanceUntil(sim, cfn, 'fast', SETTLED)).StackStatus, 'CREATE_COMPLETE');
    const table = (await allEvents(cfn, 'fast')).filter((e) => e.LogicalResourceId === 'Table');
    const start = table[0].Timestamp!.getTime();
    const configured = table.find((e) => e.DetailedStatus === 'CONFIGURATION_COMPLETE');
    const complete = table.find((e) => e.ResourceStatus === 'CREATE_COMPLETE');
    assert.equal(configured!.Timestamp!.getTime() - start, 6000);
    assert.equal(complete!.Timestamp!.getTime() - start, 6000, 'standard mode would take 10 s');
    assert.ok(table.indexOf(configured!) < table.indexOf(complete!));
  });

  it('EXPRESS with DisableRollback leaves the failure in place: CREATE_FAILED, no rollback', async () => {
    const stack = await run('kept', FAILING, { DeploymentConfig: { Mode: 'EXPRESS', DisableRollback: true } });
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    assert.equal(stack.DisableRollback, true);
    assert.ok(!(await allEvents(cfn, 'kept')).some((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS'));
  });

  it('EXPRESS with DisableRollback on an update: UPDATE_FAILED, the failed resource stays failed, no rollback', async () => {
    const v1 = `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n`;
    assert.equal((await run('upd', v1, {})).StackStatus, 'CREATE_COMPLETE');
    const v2 = `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata: { Stackwatch: { Fail: "Topic policy rejected" } }\n`;
    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'upd',
      ChangeSetName: 'up',
      ChangeSetType: 'UPDATE',
      TemplateBody: v2,
      DeploymentConfig: { Mode: 'EXPRESS', DisableRollback: true },
    });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    const stack = await advanceUntil(sim, cfn, 'upd', SETTLED);
    assert.equal(stack.StackStatus, 'UPDATE_FAILED');
    const events = await allEvents(cfn, 'upd');
    assert.equal(events[events.length - 1]?.ResourceStatus, 'UPDATE_FAILED');
    assert.ok(!events.some((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS'));
    assert.equal(events.filter((e) => e.LogicalResourceId === 'Topic').pop()?.ResourceStatusReason, 'Topic policy rejected');
  });

  it('OnStackFailure DO_NOTHING keeps the failed stack; DELETE rolls back and then deletes it as its own operation', async () => {
    const kept = await run('nothing', FAILING, { OnStackFailure: 'DO_NOTHING' });
    assert.equal(kept.StackStatus, 'CREATE_FAILED');

    const described = await createChangeSetAndWait(sim, cfn, {
      StackName: 'gone',
      ChangeSetName: 'cs',
      ChangeSetType: 'CREATE',
      TemplateBody: FAILING,
      OnStackFailure: 'DELETE',
    });
    assert.equal(described.OnStackFailure, 'DELETE');
    const stackId = described.StackId;
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: described.ChangeSetId }));
    for (let i = 0; i < 60; i++) sim.advance(1);
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: stackId }));
    const gone = stacks.Stacks?.[0];
    assert.equal(gone?.StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual(
      gone?.LastOperations?.map((o) => o.OperationType),
      ['DELETE_STACK', 'ROLLBACK', 'CREATE_STACK'],
    );
    const statuses = (await allEvents(cfn, stackId!)).filter((e) => e.LogicalResourceId === 'gone').map((e) => e.ResourceStatus);
    assert.deepEqual(statuses.slice(-4), ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);

    await assert.rejects(
      createChangeSetAndWait(sim, cfn, { StackName: 'nothing', ChangeSetName: 'up', ChangeSetType: 'UPDATE', TemplateBody: FAILING, OnStackFailure: 'DELETE' }),
      /OnStackFailure can only be specified for change sets of type CREATE/,
    );
  });

  it('ImportExistingResources turns an Add of an existing named resource into Import; without it, a name conflict', async () => {
    sim.configure({ existingResources: [{ type: 'AWS::S3::Bucket', identifier: 'legacy-bucket' }] });
    const template = `Resources:\n  Legacy:\n    Type: AWS::S3::Bucket\n    Properties: { BucketName: legacy-bucket }\n  Fresh:\n    Type: AWS::SQS::Queue\n`;
    const refused = await createChangeSetAndWait(sim, cfn, { StackName: 'adopt', ChangeSetName: 'plain', ChangeSetType: 'CREATE', TemplateBody: template });
    assert.equal(refused.Status, 'FAILED');
    assert.match(refused.StatusReason ?? '', /AWS::EarlyValidation::ResourceExistenceCheck/);

    const changeSet = await createChangeSetAndWait(sim, cfn, {
      StackName: 'adopt',
      ChangeSetName: 'imports',
      ChangeSetType: 'CREATE',
      TemplateBody: template,
      ImportExistingResources: true,
    });
    assert.equal(changeSet.Status, 'CREATE_COMPLETE');
    assert.equal(changeSet.ImportExistingResources, true);
    assert.deepEqual(
      changeSet.Changes?.map((c) => [c.ResourceChange?.LogicalResourceId, c.ResourceChange?.Action, c.ResourceChange?.PhysicalResourceId]),
      [
        ['Legacy', 'Import', 'legacy-bucket'],
        ['Fresh', 'Add', undefined],
      ],
    );
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
    assert.equal((await advanceUntil(sim, cfn, 'adopt', SETTLED)).StackStatus, 'CREATE_COMPLETE');
    const legacy = (await allEvents(cfn, 'adopt')).filter((e) => e.LogicalResourceId === 'Legacy');
    assert.deepEqual(
      legacy.map((e) => e.ResourceStatus),
      ['IMPORT_IN_PROGRESS', 'IMPORT_COMPLETE'],
    );
    assert.equal(legacy[1]?.PhysicalResourceId, 'legacy-bucket');
    const validation = await cfn.send(new DescribeEventsCommand({ ChangeSetName: changeSet.ChangeSetId }));
    assert.deepEqual(validation.OperationEvents, []);
  });
});
