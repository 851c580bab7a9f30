import { UNKNOWN_POLLS_BEFORE_ASKING } from '../../src/deployment/machine';
/**
 * After the execute, a read decides nothing it cannot know: a status this version does not know
 * keeps the deployment monitored, and a read that fails for good loses contact (with Check again)
 * instead of recording a failure. Dismissing a lost contact ends as "unknown", not failed.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { shownStatus } from '../../src/deployment/status';
import { ProviderError, type PollResult } from '../../src/providers/provider';
import { deploymentInput, described, errors, executed, polls, stagedResults } from '../support/deploymentFixtures';
import { answerCall, failCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { throughStaging } from '../support/gatedPaths';

const unknownPhase: PollResult = {
  phase: 'unknown',
  providerStatus: 'UPDATE_SOMETHING_NEW',
  statusReason: 'A status CloudFormation added after this version',
  events: [],
  cursor: 'e1',
  pagesRead: 1,
};

async function toMonitoring(): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput({ autoExecute: true }));
  await throughStaging(d, { condition: described.missing, result: stagedResults.ready });
  await answerCall(d.gate, 'execute', executed);
  return d;
}

/** Lets the poll wait pass (at most the unwatched cap). */
async function nextPoll(d: GatedDeployment): Promise<void> {
  d.clock.increment(20_000);
  await settle();
}

/** One poll read progress; the next is refused for expired credentials. */
async function lostAfterProgress(): Promise<GatedDeployment> {
  const d = await toMonitoring();
  await answerCall(d.gate, 'poll', polls.inProgress);
  await nextPoll(d);
  await failCall(d.gate, 'poll', errors.credentials());
  return d;
}

describe('a status this version does not know', () => {
  it('keeps polling, shows the raw status and never ends the deployment; when it stays unknown, the person is asked', async () => {
    const d = await toMonitoring();
    for (let i = 0; i < UNKNOWN_POLLS_BEFORE_ASKING - 1; i++) {
      await answerCall(d.gate, 'poll', unknownPhase);
      const { value, status, context } = d.actor.getSnapshot();
      assert.deepEqual(value, { monitoring: 'waiting' }, `poll ${i + 1}: read again, never judged`);
      assert.equal(status, 'active');
      assert.equal(context.phase, 'unknown');
      assert.equal(context.providerStatus, 'UPDATE_SOMETHING_NEW', 'shown raw');
      assert.equal(shownStatus(context.status), 'deploying');
      await nextPoll(d);
    }
    assert.ok(!d.gate.log.includes('outputs') && !d.gate.log.includes('abortStaged'), 'no outcome was decided');
    // Still unknown: never judged, but no longer a silent spinner either.
    await answerCall(d.gate, 'poll', unknownPhase);
    const lost = d.actor.getSnapshot();
    assert.equal(lost.value, 'lostContact');
    assert.equal(lost.context.status.error, 'lostContact');
    assert.match(lost.context.error?.message ?? '', /UPDATE_SOMETHING_NEW/);
    d.actor.send({ type: 'CHECK_AGAIN' });
    await answerCall(d.gate, 'poll', polls.succeeded);
    await answerCall(d.gate, 'outputs', []);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'succeeded', 'the status it knows decides');
  });

  it('while rolling back, an unknown status keeps the rollback monitored', async () => {
    const d = await toMonitoring();
    await answerCall(d.gate, 'poll', polls.rollingBack);
    await nextPoll(d);
    await answerCall(d.gate, 'poll', unknownPhase);
    assert.deepEqual(d.actor.getSnapshot().value, { rollingBack: 'waiting' });
    await nextPoll(d);
    await answerCall(d.gate, 'poll', polls.rolledBack);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'rolledBack');
  });
});

describe('lost contact', () => {
  it('expired credentials mid-monitor lose contact with the error, instead of failing', async () => {
    const d = await lostAfterProgress();
    const { value, status, context } = d.actor.getSnapshot();
    assert.equal(value, 'lostContact');
    assert.equal(status, 'active');
    assert.equal(context.status.error, 'lostContact');
    assert.equal(shownStatus(context.status), 'lostContact');
    assert.equal(context.status.activity, 'deploying', 'the last known state is kept');
    assert.equal(context.status.target, 'deployed');
    assert.equal(context.error?.code, 'Credentials');
    assert.equal(context.error?.message, errors.credentials().message);
    assert.equal(context.lostFrom, 'monitoring');
    assert.ok(!d.gate.log.includes('abortStaged'));
    assert.equal(d.gate.pending.length, 0, 'nothing is asked until the person says so');
    d.clock.increment(600_000);
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'lostContact', 'no timer decides for the person');
    d.actor.stop();
  });

  it('Check again resumes the same deployment from the same cursor; an answer clears the error', async () => {
    const d = await lostAfterProgress();
    d.actor.send({ type: 'CHECK_AGAIN' });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { monitoring: 'polling' });
    assert.notEqual(d.actor.getSnapshot().context.status.error, 'lostContact', 'asking again is shown');
    const poll = await answerCall(d.gate, 'poll', polls.succeeded);
    const request = poll.request as { cursor?: string; operation: { token?: string } };
    assert.equal(request.cursor, polls.inProgress.cursor);
    assert.equal(request.operation.token, executed.operation.token);
    assert.equal(d.actor.getSnapshot().context.status.error, 'none');
    await answerCall(d.gate, 'outputs', []);
    await answerCall(d.gate, 'abortStaged');
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'succeeded');
    assert.equal(context.status.error, 'none');
  });

  it('Check again that fails the same way loses contact again', async () => {
    const d = await toMonitoring();
    await failCall(d.gate, 'poll', errors.credentials());
    d.actor.send({ type: 'CHECK_AGAIN' });
    await failCall(d.gate, 'poll', errors.credentials());
    assert.equal(d.actor.getSnapshot().value, 'lostContact');
    assert.equal(d.actor.getSnapshot().context.status.error, 'lostContact');
    d.actor.stop();
  });

  it('a stack someone else deleted mid-monitor loses contact; it is not recorded as failed', async () => {
    const d = await toMonitoring();
    await failCall(d.gate, 'poll', new ProviderError('NotFound', 'Stack with id demo-stack does not exist'));
    assert.equal(d.actor.getSnapshot().value, 'lostContact');
    assert.equal(d.actor.getSnapshot().context.error?.code, 'NotFound');
    d.actor.stop();
  });

  it('Dismiss ends the deployment as unknown, not failed, after the cleanup', async () => {
    const d = await lostAfterProgress();
    d.actor.send({ type: 'DISMISS' });
    await answerCall(d.gate, 'abortStaged');
    const { value, status, context } = d.actor.getSnapshot();
    assert.equal(status, 'done');
    assert.equal(value, 'unknown');
    assert.equal(context.status.activity, 'unknown');
    assert.equal(context.status.error, 'none', 'unknown is no failure');
    assert.equal(shownStatus(context.status), 'unknown');
    assert.equal(context.status.target, 'deployed', 'the execute did happen');
  });

  it('a rollback read lost and checked again carries on as a rollback', async () => {
    const d = await toMonitoring();
    await answerCall(d.gate, 'poll', polls.rollingBack);
    await nextPoll(d);
    await failCall(d.gate, 'poll', errors.credentials());
    assert.equal(d.actor.getSnapshot().context.lostFrom, 'rollingBack');
    d.actor.send({ type: 'CHECK_AGAIN' });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { rollingBack: 'polling' });
    d.actor.stop();
  });
});
