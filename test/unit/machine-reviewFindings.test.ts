/**
 * Regressions for what a hostile review of issue 9 found: each scenario misled the person about
 * the cloud or left them without a way out before it was fixed.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SimulatedClock } from 'xstate';
import { DeploymentSession, ElsewhereSnapshotError, sessionKey, type SessionOptions } from '../../src/deployment/session';
import { shownStatus } from '../../src/deployment/status';
import { ProviderError } from '../../src/providers/provider';
import { toViewModel } from '../../src/ui/viewModel';
import { reviewReason } from '../../src/deployment/reviewPolicy';
import {
  INITIALIZED,
  MemorySnapshotStore,
  ROOT_CAUSE,
  TARGET,
  deploymentInput,
  described,
  errors,
  executed,
  found,
  polls,
  recovered,
  staged,
  stagedResults,
} from '../support/deploymentFixtures';
import {
  CallGate,
  answerCall,
  failCall,
  gatedProvider,
  gatedWorkspace,
  settle,
  stallCall,
  startGatedDeployment,
  type GatedDeployment,
} from '../support/gatedProvider';

const DEADLINES = { read: 2_000, write: 3_000, initialize: 5_000, cleanup: 4_000 };

async function toReview(d: GatedDeployment): Promise<void> {
  await answerCall(d.gate, 'preflight');
  await answerCall(d.gate, 'initialize', INITIALIZED);
  await answerCall(d.gate, 'describeTarget', described.ready);
  await answerCall(d.gate, 'stage', staged);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', stagedResults.ready);
}

/** Reviewed, executed, and Abort pressed while the execute call hangs. */
async function abortWhileExecuting(d: GatedDeployment): Promise<void> {
  await toReview(d);
  d.actor.send({ type: 'EXECUTE' });
  await stallCall(d.gate, 'execute');
  d.actor.send({ type: 'ABORT' });
  await settle();
}

/** Fails the execute with transient errors until the retry budget is spent and the provider is asked. */
async function exhaustExecute(d: GatedDeployment): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const value = JSON.stringify(d.actor.getSnapshot().value);
    if (value.includes('confirming')) return;
    if (value.includes('runBackoff')) {
      d.clock.increment(31_000);
      await settle();
      continue;
    }
    await failCall(d.gate, 'execute', new ProviderError('Transient', 'socket hang up'));
  }
  assert.fail('the execute never reached confirming');
}

describe('review findings', () => {
  it('a call in flight when the window reloaded keeps a deadline after the reload', async () => {
    const store = new MemorySnapshotStore();
    const options = (gate: CallGate, clock: SimulatedClock): SessionOptions => ({
      provider: gatedProvider(gate),
      workspace: gatedWorkspace(gate),
      store,
      clock,
      random: () => 0.5,
      deadlines: DEADLINES,
    });
    const gate = new CallGate();
    const clock = new SimulatedClock();
    const session = DeploymentSession.start(deploymentInput({ autoExecute: true }), options(gate, clock));
    await answerCall(gate, 'preflight');
    await answerCall(gate, 'initialize', INITIALIZED);
    await answerCall(gate, 'describeTarget', described.missing);
    await answerCall(gate, 'stage', staged);
    clock.increment(500);
    await settle();
    await answerCall(gate, 'describeStaged', stagedResults.ready);
    await answerCall(gate, 'execute', executed);
    await stallCall(gate, 'poll');
    await session.flush();
    session.dispose();

    const gate2 = new CallGate();
    const clock2 = new SimulatedClock();
    const resumed = await DeploymentSession.restore(TARGET, options(gate2, clock2));
    assert.ok(resumed, 'resumed');
    const poll = await stallCall(gate2, 'poll');
    clock2.increment(DEADLINES.read - 1);
    await settle();
    assert.equal(poll.signal.aborted, false, 'not before the deadline');
    clock2.increment(1);
    await settle();
    assert.equal(poll.signal.aborted, true, 'the restored poll is abandoned at its deadline');
    assert.equal(shownStatus(resumed.snapshot.context.status), 'retrying');
    resumed.dispose();
  });

  it('while an execute stalls, Abort is shown and Stop is enabled', async () => {
    const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await toReview(d);
    d.actor.send({ type: 'EXECUTE' });
    await stallCall(d.gate, 'execute');
    d.clock.increment(DEADLINES.write);
    await settle();
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.shown, 'retrying');
    assert.equal(model.controls.abort, true);
    assert.equal(model.controls.stop.enabled, true);
    d.actor.stop();
  });

  for (const [outcome, poll] of [
    ['rolled back by a resource failure', polls.rolledBack],
    ['succeeded', polls.succeeded],
  ] as const) {
    it(`an execute whose answers never came, found executed and ${outcome}: the errors of the retries do not stand for the outcome`, async () => {
      const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
      await toReview(d);
      d.actor.send({ type: 'EXECUTE' });
      await exhaustExecute(d);
      await answerCall(d.gate, 'findExecution', found.executed);
      if (poll === polls.rolledBack) {
        await answerCall(d.gate, 'poll', polls.rollingBack);
        d.clock.increment(1_500);
        await settle();
      }
      await answerCall(d.gate, 'poll', poll);
      if (poll === polls.succeeded) await answerCall(d.gate, 'outputs', []);
      await answerCall(d.gate, 'abortStaged');
      const { context } = d.actor.getSnapshot();
      if (poll === polls.succeeded) assert.equal(context.error, undefined);
      else assert.match(context.error?.message ?? '', new RegExp(ROOT_CAUSE));
    });
  }

  it('the retry budget spent on an execute that never ran: failed, nothing deployed, with the last error', async () => {
    const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await toReview(d);
    d.actor.send({ type: 'EXECUTE' });
    await exhaustExecute(d);
    await answerCall(d.gate, 'findExecution', found.notExecuted);
    await answerCall(d.gate, 'abortStaged');
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.match(context.error?.message ?? '', /socket hang up/);
    assert.equal(context.executed, false);
  });

  it('a refused execute is checked: if it ran anyway, it is followed; if not, the refusal is the outcome', async () => {
    const ran = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await toReview(ran);
    ran.actor.send({ type: 'EXECUTE' });
    await failCall(ran.gate, 'execute', new ProviderError('Credentials', 'Access denied (a proxy page)'));
    await answerCall(ran.gate, 'findExecution', found.executed);
    assert.deepEqual(ran.actor.getSnapshot().value, { monitoring: 'polling' });
    assert.equal(ran.actor.getSnapshot().context.error, undefined);
    ran.actor.stop();

    const refused = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await toReview(refused);
    refused.actor.send({ type: 'EXECUTE' });
    await failCall(refused.gate, 'execute', new ProviderError('Validation', 'ChangeSet is not executable'));
    await answerCall(refused.gate, 'findExecution', found.notExecuted);
    await answerCall(refused.gate, 'abortStaged');
    assert.equal(refused.actor.getSnapshot().value, 'failed');
    assert.match(refused.actor.getSnapshot().context.error?.message ?? '', /not executable/);
  });

  it('an execute that lands after Abort is followed, not reported aborted', async () => {
    const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await abortWhileExecuting(d);
    await answerCall(d.gate, 'findExecution', found.notExecuted);
    await answerCall(d.gate, 'abortStaged', { executedMeanwhile: true });
    await answerCall(d.gate, 'findExecution', found.executed);
    // The person asked to get out, and the changes are running: they are stopped, not ignored.
    assert.deepEqual(d.actor.getSnapshot().value, { stopping: 'run' });
    assert.ok(d.actor.getSnapshot().context.notices.some((n) => n.includes('reached the provider after all')));
    d.actor.stop();
  });

  it('Abort while a consented delete runs stops waiting; it ends aborted', async () => {
    const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await answerCall(d.gate, 'preflight');
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.unrecoverable);
    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await answerCall(d.gate, 'recover', recovered);
    assert.equal(toViewModel(d.actor.getSnapshot()).controls.abort, true);
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'aborted');
  });

  it('lost contact while asking about an execute does not offer the old stack status as the last known state', async () => {
    const d = startGatedDeployment(deploymentInput(), { deadlines: DEADLINES });
    await abortWhileExecuting(d);
    await failCall(d.gate, 'findExecution', errors.credentials());
    const model = toViewModel(d.actor.getSnapshot());
    assert.equal(model.phase, 'lostContact');
    assert.notEqual(model.lostContact?.lastKnownStatus, described.ready.providerStatus);
  });

  it('changes to a nested stack, and dynamic changes to a data store, wait for review', () => {
    assert.ok(reviewReason({ logicalId: 'Db', action: 'Modify', resourceType: 'AWS::CloudFormation::Stack' }));
    assert.ok(reviewReason({ logicalId: 'App', action: 'Remove', resourceType: 'AWS::Serverless::Application' }));
    assert.ok(reviewReason({ logicalId: 'Table', action: 'Dynamic', resourceType: 'AWS::DynamoDB::Table' }));
    assert.equal(
      reviewReason({ logicalId: 'Child', action: 'Add', resourceType: 'AWS::CloudFormation::Stack' }),
      undefined,
      'a new nested stack replaces nothing',
    );
  });

  it('a reload resumes a deployment only where it was started (profile, project, endpoint)', async () => {
    const store = new MemorySnapshotStore();
    const options = (gate: CallGate, where: string): SessionOptions => ({
      provider: gatedProvider(gate),
      workspace: gatedWorkspace(gate),
      store,
      clock: new SimulatedClock(),
      deadlines: DEADLINES,
      where,
    });
    const gate = new CallGate();
    const session = DeploymentSession.start(deploymentInput({ where: 'AWS profile prod' }), options(gate, 'AWS profile prod'));
    await answerCall(gate, 'preflight');
    await stallCall(gate, 'initialize');
    await session.flush();
    session.dispose();

    await assert.rejects(DeploymentSession.restore(TARGET, options(new CallGate(), 'AWS profile dev')), ElsewhereSnapshotError);
    assert.notEqual(await store.load(sessionKey(TARGET)), undefined, 'kept, so switching back follows it again');
    const back = await DeploymentSession.restore(TARGET, options(new CallGate(), 'AWS profile prod'));
    assert.ok(back, 'resumed where it was started');
    back.dispose();
  });
});
