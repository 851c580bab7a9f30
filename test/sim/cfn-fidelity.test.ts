/**
 * The CloudFormation behaviours a deploy engine gets wrong most easily (issue 9, item 17), as
 * the real SDK sees them over HTTP: another client's cancel, stack-level-only failures, change
 * sets that cannot be deleted yet, the automatic rollback as an operation of its own,
 * CloudFormation's exact refusals, "No updates are to be performed.", durations from a second to
 * minutes, and endpoints that do not echo tokens. Time is frozen and moved with advance().
 */
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  type CloudFormationClient,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { startCfnSim, type CfnSim, type OtherClientResult, type SimSettings } from '../../tools/cfn-sim/index';
import { SETTLED, advanceUntil, allEvents, clientFor, createChangeSetAndWait, deploy, describeStack, eventLines } from './support';

const rejectsWith = (name: string, message: string | RegExp) => (e: Error) => {
  assert.equal(e.name, name);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

/** Events from the first one carrying `token` on, oldest first. */
const from = (events: StackEvent[], token: string): StackEvent[] => {
  const start = events.findIndex((e) => e.ClientRequestToken === token);
  assert.ok(start >= 0, `no event with token ${token}`);
  return events.slice(start);
};

const stackEvents = (events: StackEvent[]): StackEvent[] => events.filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack');

const TWO_QUEUES = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { VisibilityTimeout: 30 }
  Topic:
    Type: AWS::SNS::Topic
    Properties: { DisplayName: one }
`;
const SLOW_UPDATE = TWO_QUEUES.replace('VisibilityTimeout: 30', 'VisibilityTimeout: 90')
  .replace('DisplayName: one', 'DisplayName: two')
  .replace('  Queue:\n    Type: AWS::SQS::Queue\n', '  Queue:\n    Type: AWS::SQS::Queue\n    Metadata: { Stackwatch: { Seconds: 100 } }\n');

async function control(sim: CfnSim, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('cfn-sim fidelity', () => {
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

  /** Our update of `name`, executed with `token`, left running (the queue takes 100 s). */
  async function startSlowUpdate(name: string, token: string): Promise<string> {
    await deploy(sim, cfn, name, TWO_QUEUES, { token: `${token}-create` });
    const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: name, ChangeSetName: 'ours', ChangeSetType: 'UPDATE', TemplateBody: SLOW_UPDATE });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId, ClientRequestToken: token }));
    sim.advance(5);
    assert.equal((await describeStack(cfn, name)).StackStatus, 'UPDATE_IN_PROGRESS');
    return changeSet.ChangeSetId!;
  }

  async function assertCancelledBy(name: string, ourToken: string, cancel: OtherClientResult): Promise<void> {
    const stack = await advanceUntil(sim, cfn, name, SETTLED);
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = from(await allEvents(cfn, name), ourToken);
    const rollbackAt = events.findIndex((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS');
    assert.ok(
      events.slice(0, rollbackAt).every((e) => e.ClientRequestToken === ourToken),
      'our update’s events carry our token',
    );
    const rollback = events.slice(rollbackAt);
    assert.ok(
      rollback.every((e) => e.ClientRequestToken === cancel.token),
      `every rollback event carries the other client's token: ${rollback.map((e) => e.ClientRequestToken).join(', ')}`,
    );
    assert.equal(rollback[0]?.ResourceStatusReason, 'User Initiated');
    assert.ok(
      rollback.every((e) => e.OperationId === cancel.operationId),
      'the rollback is the cancel’s operation',
    );
    assert.notEqual(events[0]?.OperationId, cancel.operationId);
    assert.deepEqual(
      stack.LastOperations?.slice(0, 2).map((o) => [o.OperationType, o.OperationId]),
      [
        ['ROLLBACK', cancel.operationId],
        ['UPDATE_STACK', events[0]?.OperationId],
      ],
    );
  }

  describe('another client', () => {
    it('cancels our update from the console: the rollback events carry Console-CancelUpdateStack-<uuid> (programmatic API)', async () => {
      await startSlowUpdate('busy', 'tok-ours');
      const cancel = sim.asOtherClient({ action: 'CancelUpdateStack', stackName: 'busy' });
      assert.match(cancel.token, /^Console-CancelUpdateStack-[0-9a-f-]{36}$/);
      await assertCancelledBy('busy', 'tok-ours', cancel);
      assert.ok(!sim.calls().some((c) => c.action === 'CancelUpdateStack'), 'another client’s request is not one of our API calls');
    });

    it('cancels our update through POST /_sim/other-client, with a token of its choosing', async () => {
      await startSlowUpdate('busy', 'tok-ours');
      const answer = await control(sim, 'POST', '/_sim/other-client', { action: 'CancelUpdateStack', stackName: 'busy', token: 'cli-cancel-1' });
      assert.equal(answer.status, 200);
      const cancel = answer.json as OtherClientResult;
      assert.equal(cancel.token, 'cli-cancel-1');
      await assertCancelledBy('busy', 'tok-ours', cancel);
      const refused = await control(sim, 'POST', '/_sim/other-client', { action: 'CancelUpdateStack', stackName: 'busy' });
      assert.deepEqual(refused, { status: 400, json: { error: 'CancelUpdateStack cannot be called from current stack status', code: 'ValidationError' } });
      assert.equal((await control(sim, 'POST', '/_sim/other-client', { action: 'Nope', stackName: 'busy' })).status, 400);
      assert.equal(
        (await control(sim, 'POST', '/_sim/other-client', { action: 'UpdateStack', stackName: 'busy' })).status,
        400,
        'UpdateStack needs a template',
      );
    });

    it('a real SDK CancelUpdateStack with another token stamps the rollback with it; without a token the rollback has none', async () => {
      await startSlowUpdate('busy', 'tok-ours');
      await cfn.send(new CancelUpdateStackCommand({ StackName: 'busy', ClientRequestToken: 'theirs-1' }));
      const stack = await describeStack(cfn, 'busy');
      await assertCancelledBy('busy', 'tok-ours', { token: 'theirs-1', operationId: stack.LastOperations?.[0]?.OperationId });

      sim.reset();
      await startSlowUpdate('quiet', 'tok-ours');
      await cfn.send(new CancelUpdateStackCommand({ StackName: 'quiet' }));
      await advanceUntil(sim, cfn, 'quiet', SETTLED);
      const events = from(await allEvents(cfn, 'quiet'), 'tok-ours');
      const rollback = events.slice(events.findIndex((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS'));
      assert.ok(rollback.length > 3);
      assert.ok(
        rollback.every((e) => e.ClientRequestToken === undefined),
        'a cancel without a token does not borrow ours',
      );
    });

    it('updates the stack itself (UpdateStack, no change set): its events carry its token, and our staged change set becomes OBSOLETE', async () => {
      await deploy(sim, cfn, 'shared', TWO_QUEUES);
      const ours = await createChangeSetAndWait(sim, cfn, { StackName: 'shared', ChangeSetName: 'ours', TemplateBody: TWO_QUEUES.replace('one', 'mine') });
      const theirs = sim.asOtherClient({ action: 'UpdateStack', stackName: 'shared', templateBody: SLOW_UPDATE });
      assert.match(theirs.token, /^Console-UpdateStack-/);
      assert.equal((await describeStack(cfn, 'shared')).StackStatus, 'UPDATE_IN_PROGRESS');
      await assert.rejects(
        cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: ours.ChangeSetId })),
        rejectsWith('InvalidChangeSetStatusException', `ChangeSet [${ours.ChangeSetId}] cannot be executed in its current execution status of [OBSOLETE]`),
      );
      const stack = await advanceUntil(sim, cfn, 'shared', SETTLED);
      assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
      const theirEvents = from(await allEvents(cfn, 'shared'), theirs.token);
      assert.equal(theirEvents[0]?.ResourceStatus, 'UPDATE_IN_PROGRESS');
      assert.ok(theirEvents.every((e) => e.ClientRequestToken === theirs.token && e.OperationId === theirs.operationId));
      assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'shared' }))).TemplateBody, SLOW_UPDATE);
      assert.throws(() => sim.asOtherClient({ action: 'UpdateStack', stackName: 'shared', templateBody: SLOW_UPDATE }), /No updates are to be performed\./);
    });

    it('deletes the stack', async () => {
      await deploy(sim, cfn, 'doomed', TWO_QUEUES);
      const { StackId } = await describeStack(cfn, 'doomed');
      const deletion = sim.asOtherClient({ action: 'DeleteStack', stackName: 'doomed' });
      assert.match(deletion.token, /^Console-DeleteStack-/);
      sim.advance(10);
      const events = from(await allEvents(cfn, StackId!), deletion.token);
      assert.deepEqual(eventLines(stackEvents(events)), ['doomed DELETE_IN_PROGRESS', 'doomed DELETE_COMPLETE']);
    });
  });

  describe('stack-level-only failures', () => {
    const KEYED = `Parameters:
  KeyName: { Type: 'AWS::EC2::KeyPair::KeyName' }
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties: { QueueName: !Sub '\${KeyName}-queue' }
`;

    it('a parameter value that does not exist: CREATE_IN_PROGRESS, then ROLLBACK_IN_PROGRESS with the reason, no resource touched, ROLLBACK_COMPLETE', async () => {
      const stack = await deploy(sim, cfn, 'keyed', KEYED, { token: 'tok-create', parameters: [{ ParameterKey: 'KeyName', ParameterValue: 'missing-key' }] });
      assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
      const events = await allEvents(cfn, 'keyed');
      assert.deepEqual(eventLines(from(events, 'tok-create'), { reasons: true }), [
        'keyed CREATE_IN_PROGRESS User Initiated',
        'keyed ROLLBACK_IN_PROGRESS Parameter validation failed: parameter value missing-key for parameter name KeyName does not exist. Rollback requested by user.',
        'keyed ROLLBACK_COMPLETE',
      ]);
      assert.ok(
        events.every((e) => e.ResourceType === 'AWS::CloudFormation::Stack'),
        'no resource event at all',
      );
      assert.deepEqual((await cfn.send(new DescribeStackResourcesCommand({ StackName: 'keyed' }))).StackResources, []);
      assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: stack.ChangeSetId }))).ExecutionStatus, 'EXECUTE_FAILED');
    });

    it('an existing key deploys; an empty list value fails an update, which rolls back to the old template', async () => {
      const created = await deploy(sim, cfn, 'keyed', KEYED, { parameters: [{ ParameterKey: 'KeyName', ParameterValue: 'ops-key' }] });
      assert.equal(created.StackStatus, 'CREATE_COMPLETE');
      const v2 = KEYED.replace('Resources:', "  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }\nResources:");
      const stack = await deploy(sim, cfn, 'keyed', v2, {
        update: true,
        token: 'tok-v2',
        parameters: [
          { ParameterKey: 'KeyName', UsePreviousValue: true },
          { ParameterKey: 'Subnets', ParameterValue: 'subnet-1,missing-2' },
        ],
      });
      assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
      assert.deepEqual(eventLines(from(await allEvents(cfn, 'keyed'), 'tok-v2'), { reasons: true }), [
        'keyed UPDATE_IN_PROGRESS User Initiated',
        'keyed UPDATE_ROLLBACK_IN_PROGRESS Parameter validation failed: parameter value missing-2 for parameter name Subnets does not exist.',
        'keyed UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
        'keyed UPDATE_ROLLBACK_COMPLETE',
      ]);
      assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'keyed' }))).TemplateBody, KEYED);
    });

    it('an export deleted between CreateChangeSet and ExecuteChangeSet: "No export named X found. Rollback requested by user."', async () => {
      await deploy(
        sim,
        cfn,
        'producer',
        'Resources:\n  T: { Type: AWS::SNS::Topic }\nOutputs:\n  Arn:\n    Value: !Ref T\n    Export: { Name: shared-topic }\n',
      );
      const consumer =
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub ['q-${Id}', { Id: !Select [5, !Split [':', !ImportValue shared-topic]] }]\n";
      const changeSet = await createChangeSetAndWait(sim, cfn, { StackName: 'consumer', ChangeSetName: 'go', ChangeSetType: 'CREATE', TemplateBody: consumer });
      assert.equal(changeSet.Status, 'CREATE_COMPLETE', changeSet.StatusReason);
      await deploy(sim, cfn, 'producer', 'Resources:\n  T: { Type: AWS::SNS::Topic }\n', { update: true });
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId, ClientRequestToken: 'tok-consumer' }));
      const stack = await advanceUntil(sim, cfn, 'consumer', SETTLED);
      assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
      assert.deepEqual(eventLines(from(await allEvents(cfn, 'consumer'), 'tok-consumer'), { reasons: true }), [
        'consumer CREATE_IN_PROGRESS User Initiated',
        'consumer ROLLBACK_IN_PROGRESS No export named shared-topic found. Rollback requested by user.',
        'consumer ROLLBACK_COMPLETE',
      ]);
    });
  });

  describe('DeleteChangeSet while CloudFormation is still computing the change set', () => {
    it('is refused in CREATE_PENDING and CREATE_IN_PROGRESS with InvalidChangeSetStatus, and works once it is done', async () => {
      sim.configure({ changeSetSeconds: 40 });
      const { Id } = await cfn.send(
        new CreateChangeSetCommand({ StackName: 'fresh', ChangeSetName: 'new', ChangeSetType: 'CREATE', TemplateBody: TWO_QUEUES }),
      );
      await assert.rejects(
        cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id })),
        rejectsWith('InvalidChangeSetStatusException', 'Cannot delete ChangeSet in status CREATE_PENDING'),
      );
      sim.advance(10);
      assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status, 'CREATE_IN_PROGRESS');
      await assert.rejects(
        cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'new', StackName: 'fresh' })),
        rejectsWith('InvalidChangeSetStatusException', 'Cannot delete ChangeSet in status CREATE_IN_PROGRESS'),
      );
      sim.advance(29);
      await assert.rejects(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id })), /CREATE_IN_PROGRESS/, 'still computing 1 s before the configured 40 s');
      sim.advance(1);
      await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
      assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'fresh' }))).Summaries, []);
    });
  });

  describe('the automatic rollback is an operation of its own', () => {
    for (const kind of ['create', 'update'] as const) {
      it(`after a failed ${kind}: a new OperationId (ROLLBACK in LastOperations), the same ClientRequestToken`, async () => {
        const failing = TWO_QUEUES.replace(
          '    Properties: { DisplayName: one }\n',
          "    Metadata: { Stackwatch: { Fail: 'Topic refused' } }\n    Properties: { DisplayName: one }\n",
        );
        if (kind === 'update') await deploy(sim, cfn, 'app', TWO_QUEUES);
        const stack = await deploy(sim, cfn, 'app', failing, { update: kind === 'update', token: 'tok-x' });
        assert.equal(stack.StackStatus, kind === 'create' ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE');
        const events = from(await allEvents(cfn, 'app'), 'tok-x');
        assert.ok(events.every((e) => e.ClientRequestToken === 'tok-x'));
        const rollbackAt = events.findIndex((e) => /ROLLBACK_IN_PROGRESS$/.test(e.ResourceStatus ?? '') && e.ResourceType === 'AWS::CloudFormation::Stack');
        const forwardIds = new Set(events.slice(0, rollbackAt).map((e) => e.OperationId));
        const rollbackIds = new Set(events.slice(rollbackAt).map((e) => e.OperationId));
        assert.equal(forwardIds.size, 1);
        assert.equal(rollbackIds.size, 1);
        const [forward] = forwardIds;
        const [rollback] = rollbackIds;
        assert.notEqual(rollback, forward);
        assert.deepEqual(
          stack.LastOperations?.slice(0, 2).map((o) => [o.OperationType, o.OperationId]),
          [
            ['ROLLBACK', rollback],
            [kind === 'create' ? 'CREATE_STACK' : 'UPDATE_STACK', forward],
          ],
        );
      });
    }
  });

  describe('CloudFormation’s refusals, word for word', () => {
    it('a CREATE change set for an existing stack', async () => {
      await deploy(sim, cfn, 'live', TWO_QUEUES);
      await assert.rejects(
        cfn.send(new CreateChangeSetCommand({ StackName: 'live', ChangeSetName: 'again', ChangeSetType: 'CREATE', TemplateBody: TWO_QUEUES })),
        rejectsWith('ValidationError', 'Stack [live] already exists and cannot be created again with the changeSet [again].'),
      );
    });

    it('change-set calls naming a stack that does not exist', async () => {
      const missing = rejectsWith('ValidationError', 'Stack [ghost] does not exist');
      await assert.rejects(cfn.send(new DescribeChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'cs' })), missing);
      await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'cs' })), missing);
      await assert.rejects(cfn.send(new DeleteChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'cs' })), missing);
      await assert.rejects(cfn.send(new ListChangeSetsCommand({ StackName: 'ghost' })), missing);
      await assert.rejects(
        cfn.send(new CreateChangeSetCommand({ StackName: 'ghost', ChangeSetName: 'cs', ChangeSetType: 'UPDATE', TemplateBody: TWO_QUEUES })),
        missing,
      );
      await deploy(sim, cfn, 'real', TWO_QUEUES);
      await assert.rejects(
        cfn.send(new DescribeChangeSetCommand({ StackName: 'real', ChangeSetName: 'cs' })),
        rejectsWith('ChangeSetNotFoundException', 'ChangeSet [cs] does not exist'),
      );
    });

    it('a change-set name already used: the same ClientToken is a retry (same Id, one stack), another token AlreadyExistsException', async () => {
      const input = { StackName: 'retried', ChangeSetName: 'stage-1', ChangeSetType: 'CREATE' as const, TemplateBody: TWO_QUEUES, ClientToken: 'attempt-1' };
      const first = await cfn.send(new CreateChangeSetCommand(input));
      const retry = await cfn.send(new CreateChangeSetCommand(input));
      assert.equal(retry.Id, first.Id);
      assert.equal(retry.StackId, first.StackId);
      assert.equal(sim.stacks().length, 1);
      assert.equal(sim.stacks()[0]?.changeSets.length, 1);
      await assert.rejects(
        cfn.send(new CreateChangeSetCommand({ ...input, ClientToken: 'attempt-2' })),
        rejectsWith('AlreadyExistsException', 'ChangeSet [stage-1] already exists'),
      );
      await assert.rejects(
        cfn.send(new CreateChangeSetCommand({ ...input, ClientToken: undefined })),
        rejectsWith('AlreadyExistsException', 'ChangeSet [stage-1] already exists'),
      );
    });
  });

  describe('"No updates are to be performed." with a transform', () => {
    const SERVERLESS = `Transform: AWS::Serverless-2016-10-31\n${TWO_QUEUES}`;
    const input = {
      StackName: 'sam',
      ChangeSetName: 'same',
      ChangeSetType: 'UPDATE' as const,
      TemplateBody: SERVERLESS,
      Capabilities: ['CAPABILITY_AUTO_EXPAND' as const],
    };

    it('ends the change set FAILED with that reason (the recorded behaviour)', async () => {
      await deploy(sim, cfn, 'sam', SERVERLESS, { capabilities: ['CAPABILITY_AUTO_EXPAND'] });
      const changeSet = await createChangeSetAndWait(sim, cfn, input);
      assert.equal(changeSet.Status, 'FAILED');
      assert.equal(changeSet.StatusReason, 'No updates are to be performed.');
      const changed = await createChangeSetAndWait(sim, cfn, { ...input, ChangeSetName: 'changed', TemplateBody: SERVERLESS.replace('one', 'two') });
      assert.equal(changed.Status, 'CREATE_COMPLETE', 'a real change with a transform is an ordinary change set');
    });

    it('or, with noUpdatesWithTransform "error", CreateChangeSet throws it as a ValidationError and leaves no change set', async () => {
      await deploy(sim, cfn, 'sam', SERVERLESS, { capabilities: ['CAPABILITY_AUTO_EXPAND'] });
      sim.configure({ noUpdatesWithTransform: 'error' });
      await assert.rejects(cfn.send(new CreateChangeSetCommand(input)), rejectsWith('ValidationError', 'No updates are to be performed.'));
      assert.deepEqual(
        (await cfn.send(new ListChangeSetsCommand({ StackName: 'sam' }))).Summaries?.map((s) => s.ExecutionStatus),
        ['EXECUTE_COMPLETE'],
        'only the deployed one',
      );
      // Without a transform the empty change set keeps its usual reason.
      await deploy(sim, cfn, 'plain', TWO_QUEUES);
      const empty = await createChangeSetAndWait(sim, cfn, { StackName: 'plain', ChangeSetName: 'same', TemplateBody: TWO_QUEUES });
      assert.equal(empty.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    });
  });

  describe('an endpoint that does not echo ClientRequestToken (or OperationId)', () => {
    it('leaves the token off events while the option is on; the stack still records it', async () => {
      sim.configure({ echoEventTokens: false });
      await deploy(sim, cfn, 'mute', TWO_QUEUES, { token: 'tok-mute' });
      const page = await cfn.send(new DescribeStackEventsCommand({ StackName: 'mute' }));
      assert.ok((page.StackEvents ?? []).length > 3);
      assert.ok(page.StackEvents?.every((e) => e.ClientRequestToken === undefined));
      assert.ok(
        page.StackEvents?.every((e) => e.OperationId !== undefined || String(e.ResourceStatus) === 'REVIEW_IN_PROGRESS'),
        'operation IDs are still there',
      );
      assert.equal((await control(sim, 'POST', '/_sim/config', { echoEventTokens: true })).status, 200);
      const again = await cfn.send(new DescribeStackEventsCommand({ StackName: 'mute' }));
      assert.ok(again.StackEvents?.every((e) => e.ClientRequestToken === 'tok-mute' || String(e.ResourceStatus) === 'REVIEW_IN_PROGRESS'));
    });

    it('echoOperationIds false drops OperationId from events and LastOperations from stacks', async () => {
      const mute = await startCfnSim({ speed: 0, echoOperationIds: false });
      const client = clientFor(mute);
      try {
        const stack = await deploy(mute, client, 'plain', TWO_QUEUES, { token: 't' });
        assert.equal(stack.LastOperations, undefined);
        const page = await client.send(new DescribeStackEventsCommand({ StackName: 'plain' }));
        assert.ok(page.StackEvents?.every((e) => e.OperationId === undefined));
        assert.ok(page.StackEvents?.some((e) => e.ClientRequestToken === 't'));
      } finally {
        client.destroy();
        await mute.close();
      }
    });

    it('settings are checked, readable over HTTP, and reset() restores the ones given at start', async () => {
      assert.throws(() => sim.configure({ durations: 'slow' as SimSettings['durations'] }), /durations must be "fixed" or "realistic"/);
      assert.throws(() => sim.configure({ nope: true } as Partial<SimSettings>), /unknown setting nope/);
      assert.equal((await control(sim, 'POST', '/_sim/config', { echoEventTokens: 'no' })).status, 400);
      sim.configure({ changeSetSeconds: 9, echoEventTokens: false });
      assert.equal(((await control(sim, 'GET', '/_sim/config')).json as SimSettings).changeSetSeconds, 9);
      sim.reset();
      assert.deepEqual((await control(sim, 'GET', '/_sim/config')).json, {
        changeSetSeconds: 2,
        echoEventTokens: true,
        echoOperationIds: true,
        durations: 'fixed',
        durationSeed: 1,
        durationJitter: 0,
        noUpdatesWithTransform: 'failed',
        existingResources: [],
      });
    });
  });

  describe('durations', () => {
    const MIXED = `Resources:
  Queue: { Type: AWS::SQS::Queue }
  Topic: { Type: AWS::SNS::Topic }
  Role:
    Type: AWS::IAM::Role
    Properties: { AssumeRolePolicyDocument: {} }
  Table:
    Type: AWS::DynamoDB::Table
    Properties: { KeySchema: [] }
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties: { DistributionConfig: {} }
  Db:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: postgres }
  Pinned:
    Type: AWS::SQS::Queue
    Metadata: { Stackwatch: { Seconds: 7 } }
`;

    /** Seconds from each resource's first CREATE_IN_PROGRESS to its CREATE_COMPLETE. */
    async function createDurations(target: CfnSim, client: CloudFormationClient): Promise<Map<string, number>> {
      const changeSet = await createChangeSetAndWait(target, client, {
        StackName: 'mixed',
        ChangeSetName: 'go',
        ChangeSetType: 'CREATE',
        TemplateBody: MIXED,
        Capabilities: ['CAPABILITY_IAM'],
      });
      await client.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSet.ChangeSetId }));
      for (let i = 0; i < 200 && (await describeStack(client, 'mixed')).StackStatus === 'CREATE_IN_PROGRESS'; i++) target.advance(10);
      assert.equal((await describeStack(client, 'mixed')).StackStatus, 'CREATE_COMPLETE');
      const events = await allEvents(client, 'mixed');
      const durations = new Map<string, number>();
      for (const e of events.filter((x) => x.ResourceStatus === 'CREATE_COMPLETE' && x.ResourceType !== 'AWS::CloudFormation::Stack')) {
        const start = events.find((x) => x.LogicalResourceId === e.LogicalResourceId && x.ResourceStatus === 'CREATE_IN_PROGRESS');
        durations.set(e.LogicalResourceId!, (e.Timestamp!.getTime() - start!.Timestamp!.getTime()) / 1000);
      }
      return durations;
    }

    it('are a fixed 2 s by default, so existing fixtures keep their exact timings', async () => {
      const durations = await createDurations(sim, cfn);
      assert.deepEqual([...durations.values()].sort(), [2, 2, 2, 2, 2, 2, 7]);
    });

    it('"realistic" spreads them by type from about a second to minutes, fractional, reproducible per seed; Seconds still wins', async () => {
      const runs: Map<string, number>[] = [];
      for (const seed of [7, 7, 8]) {
        const target = await startCfnSim({ speed: 0, durations: 'realistic', durationSeed: seed });
        const client = clientFor(target);
        try {
          runs.push(await createDurations(target, client));
        } finally {
          client.destroy();
          await target.close();
        }
      }
      const [a, b, c] = runs as [Map<string, number>, Map<string, number>, Map<string, number>];
      assert.deepEqual([...a], [...b], 'the same seed replays the same durations');
      assert.notDeepEqual([...a], [...c], 'another seed gives others');
      assert.equal(a.get('Pinned'), 7);
      const spread = [...a].filter(([id]) => id !== 'Pinned').map(([, s]) => s);
      assert.ok(Math.min(...spread) < 10, `a fast one: ${spread.join(', ')}`);
      assert.ok(Math.max(...spread) > 120, `a slow one: ${spread.join(', ')}`);
      assert.ok(
        spread.some((s) => !Number.isInteger(s)),
        'fractional seconds',
      );
      assert.ok(a.get('Queue')! < a.get('Db')!, 'a queue is quicker than a database');
    });
  });
});
