/**
 * Every provider call has a deadline. A call that never answers is abandoned exactly when its
 * deadline passes on the (simulated) clock: its AbortSignal fires, the person sees *retrying*, and
 * the call is made again after the backoff. What giving up means depends on what is known: before
 * first contact the deployment fails quickly; after an execute it loses contact, never fails.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FIRST_CONTACT_ATTEMPTS, RETRY_BUDGET_MS } from '../../src/deployment/backoff';
import { describeDeadline, type DeadlineKind, type Deadlines } from '../../src/deployment/deadlines';
import type { DeploymentActor } from '../../src/deployment/machine';
import { shownStatus } from '../../src/deployment/status';
import { INITIALIZED, deploymentInput, described, executed, found, polls, staged, stagedResults, stopped } from '../support/deploymentFixtures';
import { answerCall, settle, stallCall, startGatedDeployment, type GatedDeployment, type PendingCall } from '../support/gatedProvider';

/** Distinct per kind, so a call timed by the wrong deadline is caught. */
const DEADLINES: Deadlines = { read: 2_000, write: 3_000, initialize: 5_000, cleanup: 4_000 };

function start(autoExecute = false): GatedDeployment {
  return startGatedDeployment(deploymentInput({ autoExecute }), { deadlines: DEADLINES });
}

function inBackoff(actor: DeploymentActor): boolean {
  return JSON.stringify(actor.getSnapshot().value).includes('Backoff');
}

async function toStaged({ gate }: GatedDeployment, condition = described.missing): Promise<void> {
  await answerCall(gate, 'preflight');
  await answerCall(gate, 'initialize', INITIALIZED);
  await answerCall(gate, 'describeTarget', condition);
  await answerCall(gate, 'stage', staged);
}

async function toReviewing(d: GatedDeployment): Promise<void> {
  await toStaged(d);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', stagedResults.ready);
  assert.equal(d.actor.getSnapshot().value, 'reviewing');
}

async function toMonitoring(d: GatedDeployment): Promise<void> {
  await toReviewing(d);
  d.actor.send({ type: 'EXECUTE' });
  await answerCall(d.gate, 'execute', executed);
}

interface CallKind {
  call: string;
  deadline: DeadlineKind;
  label: string;
  /** Drives a fresh deployment until this call is in flight, and leaves it unanswered. */
  reach(d: GatedDeployment): Promise<PendingCall>;
}

const CALL_KINDS: CallKind[] = [
  {
    call: 'initialize',
    deadline: 'initialize',
    label: 'Loading and validating the template',
    async reach(d) {
      await answerCall(d.gate, 'preflight');
      return stallCall(d.gate, 'initialize');
    },
  },
  {
    call: 'describeTarget',
    deadline: 'read',
    label: 'Reading the target',
    async reach(d) {
      await answerCall(d.gate, 'preflight');
      await answerCall(d.gate, 'initialize', INITIALIZED);
      return stallCall(d.gate, 'describeTarget');
    },
  },
  {
    call: 'stage',
    deadline: 'write',
    label: 'Staging the changes',
    async reach(d) {
      await answerCall(d.gate, 'preflight');
      await answerCall(d.gate, 'initialize', INITIALIZED);
      await answerCall(d.gate, 'describeTarget', described.missing);
      return stallCall(d.gate, 'stage');
    },
  },
  {
    call: 'describeStaged',
    deadline: 'read',
    label: 'Reading the staged changes',
    async reach(d) {
      await toStaged(d);
      d.clock.increment(500);
      await settle();
      return stallCall(d.gate, 'describeStaged');
    },
  },
  {
    call: 'execute',
    deadline: 'write',
    label: 'Executing the changes',
    async reach(d) {
      await toReviewing(d);
      d.actor.send({ type: 'EXECUTE' });
      return stallCall(d.gate, 'execute');
    },
  },
  {
    call: 'findExecution',
    deadline: 'read',
    label: 'Asking whether the changes were executed',
    async reach(d) {
      await toReviewing(d);
      d.actor.send({ type: 'EXECUTE' });
      await stallCall(d.gate, 'execute');
      d.actor.send({ type: 'STOP' });
      return stallCall(d.gate, 'findExecution');
    },
  },
  {
    call: 'abortStaged',
    deadline: 'cleanup',
    label: 'Removing the staged changes',
    async reach(d) {
      await toReviewing(d);
      d.actor.send({ type: 'ABORT' });
      return stallCall(d.gate, 'abortStaged');
    },
  },
  {
    call: 'poll',
    deadline: 'read',
    label: 'Reading the deployment status',
    async reach(d) {
      await toMonitoring(d);
      return stallCall(d.gate, 'poll');
    },
  },
  {
    call: 'stop',
    deadline: 'write',
    label: 'Stopping the deployment',
    async reach(d) {
      await toMonitoring(d);
      await answerCall(d.gate, 'poll', polls.inProgress);
      d.actor.send({ type: 'STOP' });
      return stallCall(d.gate, 'stop');
    },
  },
  {
    call: 'recover',
    deadline: 'write',
    label: 'Recovering the target',
    async reach(d) {
      await answerCall(d.gate, 'preflight');
      await answerCall(d.gate, 'initialize', INITIALIZED);
      await answerCall(d.gate, 'describeTarget', described.unrecoverable);
      d.actor.send({ type: 'CONSENT', action: 'delete' });
      return stallCall(d.gate, 'recover');
    },
  },
  {
    call: 'outputs',
    deadline: 'read',
    label: 'Reading the outputs',
    async reach(d) {
      await toMonitoring(d);
      await answerCall(d.gate, 'poll', polls.succeeded);
      return stallCall(d.gate, 'outputs');
    },
  },
];

describe('every provider call has a deadline', () => {
  for (const kind of CALL_KINDS) {
    it(`${kind.call}: no answer turns to retrying exactly at the ${kind.deadline} deadline, aborts the call and asks again after the backoff`, async () => {
      const d = start();
      const stalled = await kind.reach(d);
      const deadline = DEADLINES[kind.deadline];
      assert.equal(d.actor.getSnapshot().context.status.error, 'none');

      d.clock.increment(deadline - 1);
      await settle();
      assert.equal(d.actor.getSnapshot().context.status.error, 'none', 'one millisecond early: still waiting quietly');
      assert.equal(stalled.signal.aborted, false);
      assert.equal(d.gate.pending.length, 0);

      d.clock.increment(1);
      await settle();
      const { context } = d.actor.getSnapshot();
      assert.equal(context.status.error, 'retrying');
      assert.equal(shownStatus(context.status), 'retrying');
      assert.equal(stalled.signal.aborted, true, 'the abandoned call is cancelled through its signal');
      assert.ok(inBackoff(d.actor), JSON.stringify(d.actor.getSnapshot().value));
      assert.equal(context.retry.lastError?.message, `${kind.label}: no answer within ${describeDeadline(deadline)}.`);
      assert.equal(context.retry.lastError?.retryable, true);
      assert.equal(d.gate.pending.length, 0, 'nothing is asked during the backoff');

      d.clock.increment(context.retry.delayMs);
      await settle();
      const again = await stallCall(d.gate, kind.call);
      assert.equal(JSON.stringify(again.request), JSON.stringify(stalled.request), 'the same request again');
      assert.equal(d.actor.getSnapshot().context.status.error, 'retrying', 'still retrying until an answer comes');
      d.actor.stop();
    });
  }

  it('the answer after a stalled call clears retrying', async () => {
    const d = start();
    await answerCall(d.gate, 'preflight');
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await stallCall(d.gate, 'describeTarget');
    d.clock.increment(DEADLINES.read);
    await settle();
    d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
    await settle();
    await answerCall(d.gate, 'describeTarget', described.ready);
    const { context } = d.actor.getSnapshot();
    assert.equal(context.status.error, 'none');
    assert.equal(context.retry.attempt, 0);
    d.actor.stop();
  });

  it(`before first contact, a stalled call gives up after ${FIRST_CONTACT_ATTEMPTS} attempts and fails with the deadline named`, async () => {
    const d = start();
    await answerCall(d.gate, 'preflight');
    const signals: AbortSignal[] = [];
    for (let i = 0; i < FIRST_CONTACT_ATTEMPTS; i++) {
      signals.push((await stallCall(d.gate, 'initialize')).signal);
      d.clock.increment(DEADLINES.initialize);
      await settle();
      if (i < FIRST_CONTACT_ATTEMPTS - 1) {
        assert.equal(d.actor.getSnapshot().context.status.error, 'retrying');
        d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
        await settle();
      }
    }
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.equal(context.status.error, 'failed');
    assert.equal(context.error?.message, `Loading and validating the template: no answer within 5 s. (gave up after ${FIRST_CONTACT_ATTEMPTS} attempts)`);
    assert.ok(signals.every((s) => s.aborted));
    assert.equal(d.gate.log.filter((c) => c === 'initialize').length, FIRST_CONTACT_ATTEMPTS);
    assert.ok(!d.gate.log.includes('stage') && !d.gate.log.includes('abortStaged'), 'nothing was sent, nothing to clean up');
  });
});

/**
 * Stalls every call of that name until the machine stops retrying it; returns the attempts made.
 * Each stalled call is checked to be aborted when its deadline passes.
 */
async function stallUntilGivenUp(d: GatedDeployment, call: string, deadline: number): Promise<number> {
  let attempts = 0;
  for (;;) {
    const stalled = await stallCall(d.gate, call);
    attempts++;
    d.clock.increment(deadline);
    await settle();
    assert.equal(stalled.signal.aborted, true);
    assert.notEqual(d.actor.getSnapshot().value, 'failed');
    if (!inBackoff(d.actor)) return attempts;
    assert.ok(attempts < 100, 'the retry budget must end the loop');
    d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
    await settle();
  }
}

describe('giving up on a stalled call after first contact', () => {
  it('a stalled poll ends in lost contact once the retry budget is spent, never in failed', async () => {
    const d = start();
    await toMonitoring(d);
    const attempts = await stallUntilGivenUp(d, 'poll', DEADLINES.read);
    const { value, status, context } = d.actor.getSnapshot();
    assert.equal(value, 'lostContact');
    assert.equal(status, 'active', 'the person decides: check again or dismiss');
    assert.equal(context.status.error, 'lostContact');
    assert.equal(context.lostFrom, 'monitoring');
    assert.equal(context.error?.message, 'Reading the deployment status: no answer within 2 s.');
    assert.ok(context.retry.waitedMs >= RETRY_BUDGET_MS);
    assert.ok(attempts > FIRST_CONTACT_ATTEMPTS, `kept trying for the whole budget (${attempts} attempts)`);
    assert.ok(!d.gate.log.includes('abortStaged'));
    d.actor.stop();
  });

  it('a stalled poll while rolling back loses contact from rollingBack, and Check again reads it there', async () => {
    const d = start();
    await toMonitoring(d);
    await answerCall(d.gate, 'poll', polls.rollingBack);
    d.clock.increment(1_000);
    await settle();
    await stallUntilGivenUp(d, 'poll', DEADLINES.read);
    assert.equal(d.actor.getSnapshot().value, 'lostContact');
    assert.equal(d.actor.getSnapshot().context.lostFrom, 'rollingBack');
    d.actor.send({ type: 'CHECK_AGAIN' });
    await answerCall(d.gate, 'poll', polls.rolledBack);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'rolledBack');
  });

  it('an execute that never answers is not judged: once its budget is spent, the provider is asked whether it ran', async () => {
    const d = start();
    await toReviewing(d);
    d.actor.send({ type: 'EXECUTE' });
    await stallUntilGivenUp(d, 'execute', DEADLINES.write);
    assert.deepEqual(d.actor.getSnapshot().value, { executing: 'confirming' });
    assert.equal(d.actor.getSnapshot().context.status.error, 'retrying', 'still no news: retrying, not failed');
    const asked = await answerCall(d.gate, 'findExecution', found.executed);
    assert.equal((asked.request as { stagedId: string }).stagedId, staged.stagedId);
    assert.deepEqual(d.actor.getSnapshot().value, { monitoring: 'polling' });
    assert.equal(d.actor.getSnapshot().context.status.error, 'none');
    assert.deepEqual(d.actor.getSnapshot().context.operation, found.executed.operation);
    d.actor.stop();
  });

  it('a findExecution that never answers loses contact from executing; Check again asks once more', async () => {
    const d = start();
    await toReviewing(d);
    d.actor.send({ type: 'EXECUTE' });
    await stallCall(d.gate, 'execute');
    d.actor.send({ type: 'ABORT' });
    await stallUntilGivenUp(d, 'findExecution', DEADLINES.read);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'lostContact');
    assert.equal(context.lostFrom, 'executing');
    assert.equal(context.status.error, 'lostContact');
    d.actor.send({ type: 'CHECK_AGAIN' });
    await answerCall(d.gate, 'findExecution', found.notExecuted);
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.equal((cleanup.request as { stagedId?: string }).stagedId, staged.stagedId);
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.equal(d.gate.log.filter((c) => c === 'execute').length, 1, 'the Abort is honoured: never executed again');
  });

  it('a cleanup that never answers still ends the deployment, with a notice', async () => {
    const d = start();
    await toReviewing(d);
    d.actor.send({ type: 'ABORT' });
    await stallUntilGivenUp(d, 'abortStaged', DEADLINES.cleanup);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'aborted');
    assert.ok(context.notices.includes('Removing the staged changes: no answer within 4 s.'), context.notices.join('\n'));
  });

  it('a stop that never answers leaves the deployment monitored, with a notice', async () => {
    const d = start();
    await toMonitoring(d);
    await answerCall(d.gate, 'poll', polls.inProgress);
    d.actor.send({ type: 'STOP' });
    await stallUntilGivenUp(d, 'stop', DEADLINES.write);
    const { value, context } = d.actor.getSnapshot();
    assert.deepEqual(value, { monitoring: 'polling' });
    assert.equal(context.stopRequested, false);
    assert.ok(context.notices.includes('Stopping the deployment: no answer within 3 s.'), context.notices.join('\n'));
    d.actor.stop();
  });

  it('outputs that never answer do not undo a success', async () => {
    const d = start();
    await toMonitoring(d);
    await answerCall(d.gate, 'poll', polls.succeeded);
    await stallUntilGivenUp(d, 'outputs', DEADLINES.read);
    await answerCall(d.gate, 'abortStaged');
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'succeeded');
    assert.equal(context.status.error, 'none');
    assert.ok(context.notices.includes('Reading the outputs: no answer within 2 s.'), context.notices.join('\n'));
  });

  it('a stop answered after a stall is recorded', async () => {
    const d = start();
    await toMonitoring(d);
    await answerCall(d.gate, 'poll', polls.inProgress);
    d.actor.send({ type: 'STOP' });
    await stallCall(d.gate, 'stop');
    d.clock.increment(DEADLINES.write);
    await settle();
    d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
    await settle();
    await answerCall(d.gate, 'stop', stopped);
    assert.equal(d.actor.getSnapshot().context.stopRequested, true);
    assert.equal(d.actor.getSnapshot().context.status.activity, 'stopping');
    await answerCall(d.gate, 'poll', polls.rolledBack);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'rolledBack');
    assert.deepEqual(d.actor.getSnapshot().context.outputs, [], 'a rollback reads no outputs');
  });
});
