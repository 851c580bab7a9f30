/**
 * Whole deployments through the real machine, the AWS adapter and the real SDK, against the
 * local CloudFormation simulator. Assertions look at what the session reports and, separately,
 * at the simulator's own state and call log.
 */
import { strict as assert } from 'node:assert';
import { CloudFormationClient, CreateChangeSetCommand, DeleteChangeSetCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeploymentSession } from '../../src/deployment/session';
import { progressOf, summarizeFailures } from '../../src/deployment/resources';
import { shownStatus } from '../../src/deployment/status';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import {
  MemoryStore,
  TEST_CREDENTIALS,
  awsProvider,
  inState,
  startDeployment,
  uniqueDeploymentId,
  waitFor,
  waitForEnd,
  workspaceFor,
} from '../support/awsDeployment';

const APP = (
  options: { bucketName?: string; queueSeconds?: number; fail?: string; failRollback?: string; topicSeconds?: number } = {},
) => `AWSTemplateFormatVersion: '2010-09-09'
Description: Orders service
Parameters:
  Stage:
    Type: String
    Default: dev
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${options.bucketName ?? 'orders-artifacts'}
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      Stackwatch:
        Seconds: ${options.queueSeconds ?? 2}${options.failRollback ? `\n        FailRollback: "${options.failRollback}"` : ''}
    Properties:
      VisibilityTimeout: ${options.queueSeconds ?? 30}
  Topic:
    Type: AWS::SNS::Topic
    Metadata:
      Stackwatch:
        Seconds: ${options.topicSeconds ?? 2}${options.fail ? `\n        Fail: "${options.fail}"` : ''}
    Properties:
      DisplayName: !Sub 'orders-\${Stage}'
Outputs:
  BucketArn:
    Value: !GetAtt Bucket.Arn
  QueueUrl:
    Value: !Ref Queue
  Endpoint:
    Value: !Sub 'https://\${Bucket}.s3.\${AWS::Region}.\${AWS::URLSuffix}/index.html'
`;

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('AWS adapter against the local CloudFormation simulator', () => {
  let sim: CfnSim;
  let provider: AwsProvider;

  before(async () => {
    sim = await startCfnSim({ speed: 20, eventsPageSize: 5 });
    provider = awsProvider(sim.url);
  });
  beforeEach(() => {
    sim.reset();
    sim.setSpeed(20);
  });
  after(async () => {
    provider.dispose();
    await sim.close();
  });

  const stackNamed = (name: string) => sim.stacks().find((s) => s.name === name && !s.deleted);
  const callsOf = (action: string) => sim.calls().filter((c) => c.action === action);

  it('creates a stack: change list, N/M progress, resolved outputs', async () => {
    const session = startDeployment({ provider, stackName: 'orders', template: APP() });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.deepEqual(end.context.changes.map((c) => `${c.action} ${c.logicalId}`).sort(), ['Add Bucket', 'Add Queue', 'Add Topic']);
    assert.deepEqual(progressOf(end.context.changes, end.context.resources), { done: 3, total: 3, failed: 0, inProgress: 0, rolledBack: 0, cancelled: 0 });
    const stack = stackNamed('orders');
    assert.equal(stack?.status, 'CREATE_COMPLETE');
    const bucket = stack?.resources.find((r) => r.logicalId === 'Bucket');
    const outputs = Object.fromEntries(end.context.outputs.map((o) => [o.key, o.value]));
    assert.equal(outputs.Endpoint, `https://${bucket?.physicalId}.s3.us-east-1.amazonaws.com/index.html`);
    assert.match(outputs.BucketArn ?? '', /^arn:aws:s3:::orders-artifacts$/);
    assert.ok(outputs.QueueUrl, 'the queue URL is an output');
    // Every event we kept belongs to this deployment, and none twice.
    const ids = end.context.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(callsOf('ExecuteChangeSet').every((c) => c.params.ClientRequestToken?.startsWith('sw-')));
  });

  it('updates with a replacement, flagged in the change list before anything runs', async () => {
    await waitForEnd(startDeployment({ provider, stackName: 'orders', template: APP() }));
    const oldBucket = stackNamed('orders')?.resources.find((r) => r.logicalId === 'Bucket')?.physicalId;
    const session = startDeployment({
      provider,
      stackName: 'orders',
      template: APP({ bucketName: 'orders-artifacts-v2', queueSeconds: 3 }),
      autoExecute: false,
    });
    const review = await waitFor(session, inState('reviewing'), 20_000, 'review');
    const bucket = review.context.changes.find((c) => c.logicalId === 'Bucket');
    const queue = review.context.changes.find((c) => c.logicalId === 'Queue');
    assert.equal(bucket?.action, 'Modify');
    assert.equal(bucket?.replacement, 'True');
    assert.ok(
      bucket?.details?.some((d) => d.includes('BucketName') && d.includes('requires replacement')),
      JSON.stringify(bucket?.details),
    );
    assert.equal(queue?.replacement, 'False');
    assert.equal(callsOf('ExecuteChangeSet').length, 1, 'only the first deployment executed so far');
    // Every snapshot, through the cleanup that deletes the old bucket: progress never goes back.
    const progressSeen: { done: number; inProgress: number; stackStatus?: string }[] = [];
    const stopWatching = session.onDidChange((s) => {
      const { done, inProgress } = progressOf(s.context.changes, s.context.resources);
      progressSeen.push({ done, inProgress, stackStatus: s.context.providerStatus });
    });
    session.send({ type: 'EXECUTE' });
    const end = await waitForEnd(session);
    stopWatching();
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(end.context.providerStatus, 'UPDATE_COMPLETE');
    const newBucket = stackNamed('orders')?.resources.find((r) => r.logicalId === 'Bucket')?.physicalId;
    assert.equal(newBucket, 'orders-artifacts-v2');
    assert.notEqual(newBucket, oldBucket);
    assert.ok(
      end.context.events.some((e) => e.logicalId === 'Bucket' && e.isCleanup === true && e.physicalId === oldBucket),
      'the sim deleted the old bucket in the cleanup',
    );
    assert.equal(end.context.resources.Bucket?.physicalId, newBucket, 'the row shows the new bucket, not the deleted one');
    assert.equal(end.context.resources.Bucket?.status, 'succeeded');
    for (let i = 1; i < progressSeen.length; i++)
      assert.ok((progressSeen[i]?.done ?? 0) >= (progressSeen[i - 1]?.done ?? 0), `progress went back: ${JSON.stringify(progressSeen.slice(i - 1, i + 1))}`);
    // Once both changes are done (the cleanup comes after), nothing spins again.
    const afterDone = progressSeen.slice(progressSeen.findIndex((p) => p.done === 2));
    assert.ok(
      afterDone.length > 0 && afterDone.every((p) => p.done === 2 && p.inProgress === 0),
      `after the update, nothing spins again: ${JSON.stringify(afterDone)}`,
    );
  });

  it('reports no changes, and removes the empty change set', async () => {
    await waitForEnd(startDeployment({ provider, stackName: 'orders', template: APP() }));
    const end = await waitForEnd(startDeployment({ provider, stackName: 'orders', template: APP() }));
    assert.equal(end.value, 'noChanges', end.context.error?.message);
    assert.equal(shownStatus(end.context.status), 'noChanges');
    assert.equal(callsOf('ExecuteChangeSet').length, 1);
    assert.equal(callsOf('DeleteChangeSet').length, 1);
    assert.deepEqual(
      stackNamed('orders')?.changeSets.filter((c) => c.status === 'FAILED'),
      [],
    );
  });

  it('"No updates are to be performed." thrown by CreateChangeSet ends as no changes, leaving nothing behind', async () => {
    sim.configure({ noUpdatesWithTransform: 'error' });
    const transformed = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n`;
    const capabilities = ['CAPABILITY_AUTO_EXPAND'];
    const created = await waitForEnd(startDeployment({ provider, stackName: 'transformed', template: transformed, capabilities }));
    assert.equal(created.value, 'succeeded', created.context.error?.message);
    const end = await waitForEnd(startDeployment({ provider, stackName: 'transformed', template: transformed, capabilities }));
    assert.equal(end.value, 'noChanges', end.context.error?.message);
    assert.equal(callsOf('CreateChangeSet').at(-1)?.status, 400, 'CloudFormation refused the change set itself');
    assert.equal(callsOf('ExecuteChangeSet').length, 1);
    assert.equal(stackNamed('transformed')?.status, 'CREATE_COMPLETE');
    assert.deepEqual(
      stackNamed('transformed')?.changeSets.filter((c) => c.executionStatus !== 'EXECUTE_COMPLETE'),
      [],
    );
  });

  it('aborting a new stack removes the empty stack our change set created', async () => {
    const session = startDeployment({ provider, stackName: 'aborted-app', template: APP(), autoExecute: false });
    await waitFor(session, inState('reviewing'), 20_000, 'review');
    assert.equal(stackNamed('aborted-app')?.status, 'REVIEW_IN_PROGRESS');
    session.send({ type: 'ABORT' });
    const end = await waitForEnd(session);
    assert.equal(end.value, 'aborted');
    assert.equal(stackNamed('aborted-app'), undefined, 'the REVIEW_IN_PROGRESS shell is gone');
    assert.deepEqual(
      callsOf('DeleteStack').map((c) => c.params.StackName),
      [sim.stacks().find((st) => st.name === 'aborted-app')?.id],
      'deleted by the ID staging returned, not by name',
    );
  });

  it('a failed create rolls back and names the root cause, not the cancellations', async () => {
    const session = startDeployment({ provider, stackName: 'broken', template: APP({ fail: 'Topic display name is not allowed', queueSeconds: 30 }) });
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'rolledBack');
    assert.equal(end.context.status.error, 'failed');
    assert.equal(end.context.providerStatus, 'ROLLBACK_COMPLETE');
    assert.match(end.context.error?.message ?? '', /^Topic \(AWS::SNS::Topic\): Topic display name is not allowed/);
    const failures = summarizeFailures(end.context.events, 'broken');
    assert.equal(failures.rootCause?.logicalId, 'Topic');
    assert.ok(
      failures.cancellations.some((c) => c.logicalId === 'Queue' && c.reason === 'Resource creation cancelled'),
      `the queue still in flight was cancelled: ${JSON.stringify(failures.cancellations)}`,
    );
    assert.equal(end.context.resources.Topic?.status, 'rolledBack');
  });

  it('Stop during an update cancels it and rolls back cleanly', async () => {
    await waitForEnd(startDeployment({ provider, stackName: 'slow', template: APP() }));
    const session = startDeployment({ provider, stackName: 'slow', template: APP({ queueSeconds: 600 }) });
    await waitFor(session, (s) => s.matches('monitoring') && s.context.resources.Queue?.status === 'inProgress', 20_000, 'the queue update to start');
    session.send({ type: 'STOP' });
    await waitFor(session, (s) => s.context.stopRequested, 10_000, 'the stop to be accepted');
    sim.setSpeed(2_000);
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'rolledBack');
    assert.equal(end.context.status.error, 'none', 'a rollback the user asked for is not a failure');
    assert.equal(end.context.providerStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(callsOf('CancelUpdateStack').length, 1);
    assert.match(callsOf('CancelUpdateStack')[0]?.params.ClientRequestToken ?? '', /^sw-.*-cancel$/);
    assert.equal(stackNamed('slow')?.status, 'UPDATE_ROLLBACK_COMPLETE');
  });

  it('Stop during a create explains that CloudFormation cannot cancel a creation', async () => {
    const session = startDeployment({ provider, stackName: 'creating', template: APP({ queueSeconds: 200 }) });
    await waitFor(session, inState('monitoring'), 20_000, 'monitoring');
    session.send({ type: 'STOP' });
    await waitFor(session, (s) => s.context.notices.some((n) => n.includes('cannot cancel a stack creation')), 10_000, 'the refusal');
    assert.equal(callsOf('CancelUpdateStack').length, 0);
    sim.setSpeed(2_000);
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded');
  });

  describe('an unrecoverable stack', () => {
    async function leaveInRollbackComplete(): Promise<void> {
      const end = await waitForEnd(startDeployment({ provider, stackName: 'dead', template: APP({ fail: 'boom' }) }));
      assert.equal(end.context.providerStatus, 'ROLLBACK_COMPLETE');
    }

    it('without consent, nothing is deleted', async () => {
      await leaveInRollbackComplete();
      const session = startDeployment({ provider, stackName: 'dead', template: APP() });
      const waiting = await waitFor(session, inState('awaitingConsent'), 20_000, 'the consent question');
      assert.equal(waiting.context.described?.providerStatus, 'ROLLBACK_COMPLETE');
      assert.deepEqual(
        waiting.context.described?.recoveryActions.map((a) => a.id),
        ['delete'],
      );
      session.send({ type: 'DECLINE' });
      const end = await waitForEnd(session);
      assert.equal(end.value, 'aborted');
      assert.equal(callsOf('DeleteStack').length, 0);
      assert.equal(stackNamed('dead')?.status, 'ROLLBACK_COMPLETE', 'the simulator still has the stack as it was');
    });

    it('with consent, it is deleted and the deployment starts again on its own', async () => {
      await leaveInRollbackComplete();
      const session = startDeployment({ provider, stackName: 'dead', template: APP() });
      await waitFor(session, inState('awaitingConsent'), 20_000, 'the consent question');
      session.send({ type: 'CONSENT', action: 'delete' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.equal(end.context.status.round, 1, 'a second round after recreating');
      assert.equal(callsOf('DeleteStack').length, 1);
      assert.equal(stackNamed('dead')?.status, 'CREATE_COMPLETE');
    });

    it('DELETE_FAILED: a second recovery in the same deployment is a new request, and force delete works', async () => {
      const undeletable = `Resources:\n  Vault:\n    Type: AWS::S3::Bucket\n    Metadata:\n      Stackwatch:\n        Fail: "The bucket you tried to delete is not empty"\n        FailOn: delete\n`;
      await waitForEnd(startDeployment({ provider, stackName: 'sticky', template: undeletable }));
      // A delete that fails, as a colleague's console session might leave it.
      await provider.recover({
        target: { provider: 'aws', name: 'sticky' },
        action: 'delete',
        deploymentId: 'colleague',
        signal: new AbortController().signal,
      });
      await until(() => stackNamed('sticky')?.status === 'DELETE_FAILED', 'DELETE_FAILED');
      const session = startDeployment({ provider, stackName: 'sticky', template: APP() });
      const first = await waitFor(session, inState('awaitingConsent'), 20_000, 'the consent question');
      assert.deepEqual(
        first.context.described?.recoveryActions.map((a) => a.id),
        ['delete', 'forceDelete'],
      );
      session.send({ type: 'CONSENT', action: 'delete' });
      const again = await waitFor(session, (s) => s.matches('awaitingConsent') && s.context.recoveries === 1, 20_000, 'the second question');
      assert.equal(again.context.described?.providerStatus, 'DELETE_FAILED', 'the plain delete failed again');
      session.send({ type: 'CONSENT', action: 'forceDelete' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      const deletes = callsOf('DeleteStack');
      assert.equal(deletes.length, 3, "the colleague's delete, our delete, our force delete");
      assert.equal(new Set(deletes.map((c) => c.params.ClientRequestToken)).size, 3, 'every delete request has its own token');
      assert.equal(deletes[2]?.params.DeletionMode, 'FORCE_DELETE_STACK');
      assert.equal(stackNamed('sticky')?.status, 'CREATE_COMPLETE');
    });

    it('UPDATE_FAILED (rollback was disabled) is rolled back with RollbackStack, then deployed', async () => {
      await waitForEnd(startDeployment({ provider, stackName: 'kept', template: APP() }));
      // Someone deployed with rollback disabled and it failed, leaving the stack in UPDATE_FAILED.
      const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: TEST_CREDENTIALS });
      const staged = await cfn.send(
        new CreateChangeSetCommand({ StackName: 'kept', ChangeSetName: 'manual', ChangeSetType: 'UPDATE', TemplateBody: APP({ fail: 'bad display name' }) }),
      );
      await until(() => stackNamed('kept')?.changeSets.some((c) => c.executionStatus === 'AVAILABLE') === true, 'the manual change set');
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: staged.Id, DisableRollback: true }));
      cfn.destroy();
      await until(() => stackNamed('kept')?.status === 'UPDATE_FAILED', 'UPDATE_FAILED');
      const session = startDeployment({ provider, stackName: 'kept', template: APP({ queueSeconds: 5 }) });
      const waiting = await waitFor(session, inState('awaitingConsent'), 20_000, 'the consent question');
      assert.deepEqual(
        waiting.context.described?.recoveryActions.map((a) => a.id),
        ['rollback'],
      );
      session.send({ type: 'CONSENT', action: 'rollback' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.equal(callsOf('RollbackStack').length, 1);
      assert.equal(callsOf('DeleteStack').length, 0, 'rolling back is not deleting');
      assert.equal(stackNamed('kept')?.status, 'UPDATE_COMPLETE');
    });

    it('UPDATE_ROLLBACK_FAILED is repaired with ContinueUpdateRollback, then deployed', async () => {
      await waitForEnd(startDeployment({ provider, stackName: 'stuck', template: APP() }));
      const failing = await waitForEnd(
        startDeployment({ provider, stackName: 'stuck', template: APP({ fail: 'update refused', failRollback: 'queue cannot be restored', queueSeconds: 4 }) }),
      );
      assert.equal(failing.value, 'failed');
      assert.equal(stackNamed('stuck')?.status, 'UPDATE_ROLLBACK_FAILED');
      const session = startDeployment({ provider, stackName: 'stuck', template: APP({ queueSeconds: 5 }) });
      const waiting = await waitFor(session, inState('awaitingConsent'), 20_000, 'the consent question');
      assert.deepEqual(
        waiting.context.described?.recoveryActions.map((a) => a.id),
        ['continueRollback'],
      );
      session.send({ type: 'CONSENT', action: 'continueRollback' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(callsOf('ContinueUpdateRollback').length, 1);
      assert.equal(callsOf('DeleteStack').length, 0, 'repairing is not deleting');
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.deepEqual(
        end.context.changes.map((c) => `${c.action} ${c.logicalId}`),
        ['Modify Queue'],
        'the change was deployed after the repair',
      );
      assert.equal(stackNamed('stuck')?.status, 'UPDATE_COMPLETE');
    });
  });

  it('a throttling burst shows retrying, then carries on to success', async () => {
    const session = DeploymentSession.start(
      { deploymentId: uniqueDeploymentId(), target: { provider: 'aws', name: 'throttled', region: 'us-east-1' }, autoExecute: true },
      { provider, workspace: workspaceFor({ template: APP() }), random: () => 0.2 },
    );
    await waitFor(session, inState('monitoring'), 20_000, 'monitoring');
    sim.inject({ action: 'DescribeStackEvents', kind: 'throttle', count: 3 });
    const retrying = await waitFor(session, (s) => s.context.status.error === 'retrying', 20_000, 'retrying');
    assert.equal(shownStatus(retrying.context.status), 'retrying');
    assert.equal(retrying.context.retry.lastError?.code, 'Throttling');
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(end.context.status.error, 'none');
    assert.equal(callsOf('DescribeStackEvents').filter((c) => c.fault === 'throttle').length, 3);
  });

  it('reattaches from a persisted snapshot in the middle of a deployment, without executing twice', async () => {
    const store = new MemoryStore();
    const target = { provider: 'aws' as const, name: 'reloaded', region: 'us-east-1' };
    const first = startDeployment({ provider, stackName: 'reloaded', template: APP({ queueSeconds: 40 }), store });
    await waitFor(first, (s) => s.matches('monitoring') && s.context.events.length > 0, 20_000, 'events');
    await first.flush();
    const seenBefore = first.snapshot.context.events.length;
    first.dispose(); // the window reloads
    const resumed = await DeploymentSession.restore(target, { provider, workspace: workspaceFor({ template: APP() }), store });
    assert.ok(resumed, 'the persisted session is found');
    const end = await waitForEnd(resumed);
    // Writes to the store are chained after the state changes; wait for the last one.
    await resumed.flush();
    resumed.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(callsOf('ExecuteChangeSet').length, 1);
    assert.ok(end.context.events.length > seenBefore);
    const ids = end.context.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event read twice across the reload');
    assert.equal(await store.load('aws:us-east-1:reloaded'), undefined, 'a finished session is no longer persisted');
  });

  it('a stack being deleted is waited for, then created again', async () => {
    await waitForEnd(startDeployment({ provider, stackName: 'leaving', template: APP({ queueSeconds: 60 }) }));
    await provider.recover({ target: { provider: 'aws', name: 'leaving' }, action: 'delete', deploymentId: 'colleague', signal: new AbortController().signal });
    const session = startDeployment({ provider, stackName: 'leaving', template: APP() });
    const waiting = await waitFor(session, inState('recreating'), 20_000, 'waiting for the delete');
    assert.match(waiting.context.notices.join(' '), /was being deleted/);
    const end = await waitForEnd(session);
    session.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(callsOf('DeleteStack').length, 1, 'only the delete that was already running');
    assert.equal(stackNamed('leaving')?.status, 'CREATE_COMPLETE');
  });

  describe('a stack left in REVIEW_IN_PROGRESS by a CREATE change set never executed', () => {
    let cfn: CloudFormationClient;
    before(() => {
      cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: sim.url, credentials: TEST_CREDENTIALS });
    });
    after(() => cfn.destroy());
    /** Calls since the shell was made: the deployment's own. */
    let seeded = 0;
    const ourCallsOf = (action: string) =>
      sim
        .calls()
        .slice(seeded)
        .filter((c) => c.action === action);

    async function reviewShell(name: string, keepChangeSet: boolean): Promise<string> {
      const made = await cfn.send(new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'colleague', ChangeSetType: 'CREATE', TemplateBody: APP() }));
      await until(() => stackNamed(name)?.changeSets[0]?.status === 'CREATE_COMPLETE', 'their change set');
      if (!keepChangeSet) await cfn.send(new DeleteChangeSetCommand({ StackName: name, ChangeSetName: 'colleague' }));
      assert.equal(stackNamed(name)?.status, 'REVIEW_IN_PROGRESS');
      seeded = sim.calls().length;
      return made.StackId ?? '';
    }

    it('holding nothing: deployed into without asking for consent or deleting anything', async () => {
      const stackId = await reviewShell('abandoned', false);
      const session = startDeployment({ provider, stackName: 'abandoned', template: APP() });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'succeeded', end.context.error?.message);
      assert.equal(ourCallsOf('DeleteStack').length, 0);
      assert.deepEqual(
        ourCallsOf('CreateChangeSet').map((c) => c.params.ChangeSetType),
        ['CREATE'],
      );
      assert.equal(stackNamed('abandoned')?.id, stackId, 'the same stack, now created');
      assert.equal(stackNamed('abandoned')?.status, 'CREATE_COMPLETE');
    });

    it('holding nothing, turned down at review (Abort): our change set is removed and their stack is left as it was', async () => {
      const stackId = await reviewShell('declined-shell', false);
      const session = startDeployment({ provider, stackName: 'declined-shell', template: APP(), autoExecute: false });
      await waitFor(session, inState('reviewing'), 20_000, 'review');
      session.send({ type: 'ABORT' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'aborted', end.context.error?.message);
      assert.equal(ourCallsOf('DeleteChangeSet').length, 1, 'our change set removed');
      assert.equal(ourCallsOf('DeleteStack').length, 0, 'the stack was there before us');
      assert.equal(stackNamed('declined-shell')?.id, stackId);
      assert.equal(stackNamed('declined-shell')?.status, 'REVIEW_IN_PROGRESS');
      assert.equal(stackNamed('declined-shell')?.changeSets.length, 0);
    });

    it('a new stack turned down at review (Abort): the stack our staging made is removed', async () => {
      seeded = sim.calls().length;
      const session = startDeployment({ provider, stackName: 'declined-new', template: APP(), autoExecute: false });
      await waitFor(session, inState('reviewing'), 20_000, 'review');
      session.send({ type: 'ABORT' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'aborted', end.context.error?.message);
      assert.equal(ourCallsOf('DeleteStack').length, 1);
      assert.equal(stackNamed('declined-new'), undefined);
    });

    it("holding someone else's change set: said to be theirs, nothing staged, and on Abort nothing deleted", async () => {
      await reviewShell('pending-review', true);
      const session = startDeployment({ provider, stackName: 'pending-review', template: APP() });
      const asking = await waitFor(session, inState('otherOperation'), 20_000, 'the question about their change set');
      assert.match(asking.context.described?.operation?.startedBy ?? '', /colleague/);
      session.send({ type: 'ABORT' });
      const end = await waitForEnd(session);
      session.dispose();
      assert.equal(end.value, 'aborted');
      for (const action of ['CreateChangeSet', 'DeleteChangeSet', 'DeleteStack', 'ExecuteChangeSet']) assert.equal(ourCallsOf(action).length, 0, action);
      assert.deepEqual(
        stackNamed('pending-review')?.changeSets.map((c) => c.name),
        ['colleague'],
      );
      assert.equal(stackNamed('pending-review')?.status, 'REVIEW_IN_PROGRESS');
    });
  });

  it('a new session on a stack another deployment is deploying says whose it is, watches it, then deploys its own', async () => {
    const first = startDeployment({ provider, stackName: 'busy', template: APP({ queueSeconds: 40 }) });
    await waitFor(first, inState('monitoring'), 20_000, 'monitoring');
    first.dispose();
    const second = startDeployment({ provider, stackName: 'busy', template: APP() });
    const asking = await waitFor(second, inState('otherOperation'), 20_000, 'the question about the other operation');
    assert.match(asking.context.described?.operation?.startedBy ?? '', /^another Stackwatch deployment \(token sw-/);
    assert.equal(callsOf('CreateChangeSet').length, 1, 'nothing of ours staged while theirs runs');
    second.send({ type: 'WATCH_OTHER' });
    const end = await waitForEnd(second);
    second.dispose();
    assert.equal(end.value, 'succeeded', end.context.error?.message);
    assert.equal(callsOf('CreateChangeSet').length, 2, 'ours was staged after theirs ended');
    assert.equal(callsOf('ExecuteChangeSet').length, 2);
    assert.equal(stackNamed('busy')?.status, 'UPDATE_COMPLETE', 'our update ran after their create');
  });
});
