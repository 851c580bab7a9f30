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

/** A step that drives a fresh deployment forward; each is built on the one before it. */
type Step = (d: GatedDeployment) => Promise<void>;

async function initialized({ gate }: GatedDeployment): Promise<void> {
  await answerCall(gate, 'preflight');
  await answerCall(gate, 'initialize', INITIALIZED);
}

async function toStaged(d: GatedDeployment, condition = described.missing): Promise<void> {
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', condition);
  await answerCall(d.gate, 'stage', staged);
}

/** Staged, and the first read of the staged changes is due. */
async function toStagedReadDue(d: GatedDeployment): Promise<void> {
  await toStaged(d);
  d.clock.increment(500);
  await settle();
}

async function toReviewing(d: GatedDeployment): Promise<void> {
  await toStagedReadDue(d);
  await answerCall(d.gate, 'describeStaged', stagedResults.ready);
  assert.equal(d.actor.getSnapshot().value, 'reviewing');
}

async function toMonitoring(d: GatedDeployment): Promise<void> {
  await toReviewing(d);
  d.actor.send({ type: 'EXECUTE' });
  await answerCall(d.gate, 'execute', executed);
}

function thenSend(before: Step, type: 'EXECUTE' | 'ABORT' | 'STOP'): Step {
  return async (d) => {
    await before(d);
    d.actor.send({ type });
  };
}

const executeSent = thenSend(toReviewing, 'EXECUTE');

/** Monitoring a deployment in progress, and Stop pressed. */
const stopSent = thenSend(async (d) => {
  await toMonitoring(d);
  await answerCall(d.gate, 'poll', polls.inProgress);
}, 'STOP');

/** Stalls one call past its deadline and waits out the backoff, so the same call is asked again. */
async function stallOnceAndWaitOut(d: GatedDeployment, call: string, deadline: number): Promise<void> {
  await stallCall(d.gate, call);
  d.clock.increment(deadline);
  await settle();
  d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
  await settle();
}

interface CallKind {
  call: string;
  deadline: DeadlineKind;
  label: string;
  /** Drives a fresh deployment until this call is in flight, and leaves it unanswered. */
  reach(d: GatedDeployment): Promise<PendingCall>;
}

function callKind(call: string, deadline: DeadlineKind, label: string, before: Step): CallKind {
  return {
    call,
    deadline,
    label,
    async reach(d) {
      await before(d);
      return stallCall(d.gate, call);
    },
  };
}

const CALL_KINDS: CallKind[] = [
  callKind('initialize', 'initialize', 'Loading and validating the template', async ({ gate }) => {
    await answerCall(gate, 'preflight');
  }),
  callKind('describeTarget', 'read', 'Reading the target', initialized),
  callKind('stage', 'write', 'Staging the changes', async (d) => {
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.missing);
  }),
  callKind('describeStaged', 'read', 'Reading the staged changes', toStagedReadDue),
  callKind('execute', 'write', 'Executing the changes', executeSent),
  callKind('findExecution', 'read', 'Asking whether the changes were executed', async (d) => {
    await executeSent(d);
    await stallCall(d.gate, 'execute');
    d.actor.send({ type: 'STOP' });
  }),
  callKind('abortStaged', 'cleanup', 'Removing the staged changes', thenSend(toReviewing, 'ABORT')),
  callKind('poll', 'read', 'Reading the deployment status', toMonitoring),
  callKind('stop', 'write', 'Stopping the deployment', stopSent),
  callKind('recover', 'write', 'Recovering the target', async (d) => {
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.unrecoverable);
    d.actor.send({ type: 'CONSENT', action: 'delete' });
  }),
  callKind('outputs', 'read', 'Reading the outputs', async (d) => {
    await toMonitoring(d);
    await answerCall(d.gate, 'poll', polls.succeeded);
  }),
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
    await initialized(d);
    await stallOnceAndWaitOut(d, 'describeTarget', DEADLINES.read);
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
    assert.equal(
      context.error?.message,
      `Loading and validating the template: no answer within 5 s. Stackwatch gave up after ${FIRST_CONTACT_ATTEMPTS} attempts.`,
    );
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
    await executeSent(d);
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
    await executeSent(d);
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
    await stopSent(d);
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
    await stopSent(d);
    await stallOnceAndWaitOut(d, 'stop', DEADLINES.write);
    await answerCall(d.gate, 'stop', stopped);
    assert.equal(d.actor.getSnapshot().context.stopRequested, true);
    assert.equal(d.actor.getSnapshot().context.status.activity, 'stopping');
    await answerCall(d.gate, 'poll', polls.rolledBack);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'rolledBack');
    assert.deepEqual(d.actor.getSnapshot().context.outputs, [], 'a rollback reads no outputs');
  });
});
