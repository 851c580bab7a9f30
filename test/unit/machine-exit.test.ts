/**
 * Getting out: Abort and Stop always get the person out, and never at the cost of the truth.
 * - While an execute is in flight, it is cancelled through its signal and the provider is asked
 *   what happened (findExecution) before anything else is done.
 * - While a stage call is in flight, Abort waits for it (the change set may exist), then removes
 *   what it made, by the name of the same attempt when the call never answered.
 * - Every end after a stage was sent passes through abortStaged; an end before it never does.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { AbortStagedInput } from '../../src/deployment/machine';
import { shownStatus } from '../../src/deployment/status';
import {
  INITIALIZED,
  deploymentInput,
  described,
  errors,
  executed,
  found,
  polls,
  recovered,
  staged,
  stagedResults,
  stopped,
} from '../support/deploymentFixtures';
import { answerCall, failCall, settle, stallCall, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';

const DEADLINES = { read: 2_000, write: 3_000, initialize: 5_000, cleanup: 4_000 };

function start(autoExecute = false): GatedDeployment {
  return startGatedDeployment(deploymentInput({ autoExecute }), { deadlines: DEADLINES });
}

async function initialized({ gate }: GatedDeployment): Promise<void> {
  await answerCall(gate, 'preflight');
  await answerCall(gate, 'initialize', INITIALIZED);
}

async function toStageInFlight(d: GatedDeployment, condition = described.missing) {
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', condition);
  return stallCall(d.gate, 'stage');
}

/** Staged, and the staged changes read back as `result`. */
async function throughStaging(d: GatedDeployment, result: unknown): Promise<void> {
  const stage = await toStageInFlight(d);
  stage.resolve(staged);
  await settle();
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', result);
}

async function toReviewing(d: GatedDeployment): Promise<void> {
  await throughStaging(d, stagedResults.ready);
  assert.equal(d.actor.getSnapshot().value, 'reviewing');
}

/** Staged, reviewed and executed: the next call is the first poll. */
async function toMonitoring(d: GatedDeployment): Promise<void> {
  await throughStaging(d, stagedResults.ready);
  d.actor.send({ type: 'EXECUTE' });
  await answerCall(d.gate, 'execute', executed);
}

/** Abort pressed while the stage call is in flight; the call is returned unanswered. */
async function abortDuringStage(d: GatedDeployment) {
  const stage = await toStageInFlight(d);
  d.actor.send({ type: 'ABORT' });
  await settle();
  return stage;
}

/** What abortStaged is asked when a staged change set that never ran is removed. */
const CLEANUP_OF_UNEXECUTED = {
  stagedId: staged.stagedId,
  deploymentId: 'dep-1',
  attempt: 0,
  executed: false,
  removeCreatedTarget: true,
  targetId: undefined,
};

async function toExecuteInFlight(d: GatedDeployment) {
  await toReviewing(d);
  d.actor.send({ type: 'EXECUTE' });
  return stallCall(d.gate, 'execute');
}

function cleanupRequest(request: unknown): Omit<AbortStagedInput, 'target'> {
  const { stagedId, deploymentId, attempt, executed: wasExecuted, removeCreatedTarget, targetId } = request as AbortStagedInput;
  return { stagedId, deploymentId, attempt, executed: wasExecuted, removeCreatedTarget, targetId };
}

function count(d: GatedDeployment, call: string): number {
  return d.gate.log.filter((c) => c === call).length;
}

describe('Abort and Stop while the execute is in flight', () => {
  it('Abort cancels the execute, asks the provider, and, with nothing executed, removes the staged changes', async () => {
    const d = start();
    const execute = await toExecuteInFlight(d);
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(execute.signal.aborted, true, 'the in-flight execute is cancelled through its signal');
    assert.deepEqual(d.actor.getSnapshot().value, { executing: 'confirming' });
    const asked = await answerCall(d.gate, 'findExecution', found.notExecuted);
    assert.equal((asked.request as { stagedId: string }).stagedId, staged.stagedId);
    assert.deepEqual(d.actor.getSnapshot().value, { cleaningUp: 'run' });
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.deepEqual(cleanupRequest(cleanup.request), CLEANUP_OF_UNEXECUTED);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'aborted');
    assert.equal(shownStatus(context.status), 'aborted');
    assert.ok(context.notices.includes('Nothing had been executed; Stackwatch removes the staged changes.'), context.notices.join('\n'));
    assert.equal(count(d, 'execute'), 1, 'never executed again');
    assert.equal(context.operation, undefined);
  });

  it('Stop cancels the execute; when it had already run, Stackwatch stops the operation it found', async () => {
    const d = start();
    const execute = await toExecuteInFlight(d);
    d.actor.send({ type: 'STOP' });
    await settle();
    assert.equal(execute.signal.aborted, true);
    await answerCall(d.gate, 'findExecution', found.executed);
    assert.deepEqual(d.actor.getSnapshot().value, { stopping: 'run' });
    const stop = await answerCall(d.gate, 'stop', stopped);
    assert.deepEqual((stop.request as { operation: unknown }).operation, found.executed.operation, 'the operation found is the one stopped');
    const { value, context } = d.actor.getSnapshot();
    assert.deepEqual(value, { monitoring: 'polling' });
    assert.equal(context.stopRequested, true);
    assert.equal(context.executed, true);
    assert.equal(context.status.activity, 'stopping');
    assert.equal(context.status.target, 'deployed');
    await answerCall(d.gate, 'poll', polls.rolledBack);
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.equal(cleanupRequest(cleanup.request).executed, true, 'an executed change set is not the cleanup’s to remove');
    assert.equal(cleanupRequest(cleanup.request).removeCreatedTarget, false);
    assert.equal(d.actor.getSnapshot().value, 'rolledBack');
    assert.equal(d.actor.getSnapshot().context.status.error, 'none', 'a rollback the person asked for is no failure');
  });

  it('Abort after the execute had already run stops it, and says so', async () => {
    const d = start();
    await toExecuteInFlight(d);
    d.actor.send({ type: 'ABORT' });
    await answerCall(d.gate, 'findExecution', found.executed);
    const { value, context } = d.actor.getSnapshot();
    assert.deepEqual(value, { stopping: 'run' });
    assert.ok(
      context.notices.includes('The changes had already started deploying when you asked to stop; Stackwatch is stopping them.'),
      context.notices.join('\n'),
    );
    assert.ok(!d.gate.log.includes('abortStaged'), 'nothing is removed under a running operation');
    d.actor.stop();
  });

  it('Stop with nothing executed ends as aborted, the staged changes removed', async () => {
    const d = start();
    await toExecuteInFlight(d);
    d.actor.send({ type: 'STOP' });
    await answerCall(d.gate, 'findExecution', found.notExecuted);
    await answerCall(d.gate, 'abortStaged');
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.equal(count(d, 'execute'), 1);
  });

  it('Abort while the answer to "was it executed?" is awaited keeps asking, and a lost change set ends aborted', async () => {
    const d = start();
    await toExecuteInFlight(d);
    d.actor.send({ type: 'ABORT' });
    const asking = await stallCall(d.gate, 'findExecution');
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(asking.signal.aborted, false, 'a second Abort does not cancel the question');
    asking.resolve(found.gone);
    await settle();
    await answerCall(d.gate, 'abortStaged');
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'aborted');
    assert.equal(context.status.error, 'none');
  });

  it('without Abort or Stop, an execute whose answers are all lost, and whose change set is gone, fails with the reason', async () => {
    const d = start();
    await toReviewing(d);
    d.actor.send({ type: 'EXECUTE' });
    for (;;) {
      await failCall(d.gate, 'execute', errors.throttled());
      if (JSON.stringify(d.actor.getSnapshot().value) === JSON.stringify({ executing: 'confirming' })) break;
      d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
      await settle();
      assert.ok(count(d, 'execute') < 100, 'the retry budget must end the loop');
    }
    assert.equal(d.actor.getSnapshot().context.status.error, 'retrying', 'no answer yet: not failed');
    await answerCall(d.gate, 'findExecution', found.gone);
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.equal(cleanupRequest(cleanup.request).executed, false);
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.equal(context.error?.message, `Nothing was executed: ${found.gone.reason}`);
  });

  it('a Stop asked before contact was lost still counts after Check again', async () => {
    const d = start();
    await toExecuteInFlight(d);
    d.actor.send({ type: 'STOP' });
    await failCall(d.gate, 'findExecution', errors.credentials());
    assert.equal(d.actor.getSnapshot().value, 'lostContact');
    assert.equal(d.actor.getSnapshot().context.lostFrom, 'executing');
    d.actor.send({ type: 'CHECK_AGAIN' });
    await answerCall(d.gate, 'findExecution', found.executed);
    assert.deepEqual(d.actor.getSnapshot().value, { stopping: 'run' }, 'the Stop asked before contact was lost still counts');
    d.actor.stop();
  });
});

describe('Abort while the stage call is in flight', () => {
  it('waits for the stage to answer, then removes what it made, by its ID', async () => {
    const d = start();
    const stage = await abortDuringStage(d);
    assert.deepEqual(d.actor.getSnapshot().value, { staging: 'creating' }, 'no transition until the stage answers');
    assert.equal(stage.signal.aborted, false, 'the stage is not cancelled: its change set may exist');
    assert.equal(d.actor.getSnapshot().context.abortRequested, true);
    assert.equal(d.gate.pending.length, 0);
    stage.resolve(staged);
    await settle();
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.deepEqual(cleanupRequest(cleanup.request), CLEANUP_OF_UNEXECUTED);
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.ok(!d.gate.log.includes('describeStaged'));
  });

  it('when the stage is refused, removes what the attempt may have made, named by the provider from the attempt', async () => {
    const d = start();
    const stage = await abortDuringStage(d);
    stage.reject(errors.validation());
    await settle();
    const cleanup = await answerCall(d.gate, 'abortStaged');
    const request = cleanupRequest(cleanup.request);
    assert.equal(request.stagedId, undefined);
    assert.equal(request.attempt, (stage.request as { attempt: number }).attempt);
    assert.equal(request.removeCreatedTarget, true, 'a stack the attempt created for a missing target is removed with it');
    assert.equal(d.actor.getSnapshot().status, 'done');
    assert.equal(count(d, 'stage'), 1);
  });

  it('when the stage never answers, the deadline does not send it again: it cleans up by the attempt', async () => {
    const d = start();
    const stage = await abortDuringStage(d);
    d.clock.increment(DEADLINES.write);
    await settle();
    assert.equal(stage.signal.aborted, true);
    d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
    await settle();
    const next = await d.gate.next(d.gate.pending[0]?.name ?? 'abortStaged');
    assert.equal(next.name, 'abortStaged', `after Abort, a stalled stage is not sent again; calls: ${d.gate.log.join(' → ')}`);
    const request = cleanupRequest(next.request);
    assert.equal(request.stagedId, undefined);
    assert.equal(request.attempt, (stage.request as { attempt: number }).attempt);
    next.resolve(undefined);
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.equal(count(d, 'stage'), 1);
  });

  it('when the stage fails transiently, it is not sent again after the Abort', async () => {
    const d = start();
    const stage = await abortDuringStage(d);
    stage.reject(errors.throttled());
    await settle();
    d.clock.increment(d.actor.getSnapshot().context.retry.delayMs);
    await settle();
    const next = await d.gate.next(d.gate.pending[0]?.name ?? 'abortStaged');
    assert.equal(next.name, 'abortStaged', `after Abort, a failed stage is not sent again; calls: ${d.gate.log.join(' → ')}`);
    assert.equal(cleanupRequest(next.request).stagedId, undefined);
    next.resolve(undefined);
    await settle();
    assert.equal(d.actor.getSnapshot().value, 'aborted');
  });

  it('in a later round, the cleanup names the same attempt the stage used', async () => {
    const d = start();
    await initialized(d);
    await answerCall(d.gate, 'describeTarget', described.unrecoverable);
    d.actor.send({ type: 'CONSENT', action: 'delete' });
    await answerCall(d.gate, 'recover', recovered);
    d.clock.increment(3_000);
    await settle();
    await answerCall(d.gate, 'describeTarget', described.missing);
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.missing);
    const stage = await stallCall(d.gate, 'stage');
    assert.equal((stage.request as { attempt: number }).attempt, 1);
    d.actor.send({ type: 'ABORT' });
    await settle();
    stage.reject(errors.validation());
    await settle();
    const cleanup = await answerCall(d.gate, 'abortStaged');
    assert.equal(cleanupRequest(cleanup.request).attempt, 1);
    assert.equal(cleanupRequest(cleanup.request).stagedId, undefined);
  });
});

interface Ending {
  name: string;
  final: string;
  /** Drives a fresh deployment to its last call before the end. */
  drive(d: GatedDeployment): Promise<void>;
  /** What abortStaged must be asked, or undefined when nothing was staged. */
  cleanup?: Partial<Omit<AbortStagedInput, 'target'>>;
}

/** An executed change set is the operation's, not the cleanup's, and so is the target. */
const CLEANUP_AFTER_EXECUTE = { stagedId: staged.stagedId, executed: true, removeCreatedTarget: false };

const ENDINGS: Ending[] = [
  {
    name: 'a change set that fails to prepare',
    final: 'failed',
    drive: (d) => throughStaging(d, stagedResults.failed),
    cleanup: { stagedId: staged.stagedId, executed: false, removeCreatedTarget: true },
  },
  {
    name: 'a stage call refused by the provider',
    final: 'failed',
    async drive(d) {
      await initialized(d);
      await answerCall(d.gate, 'describeTarget', described.ready);
      await failCall(d.gate, 'stage', errors.validation());
    },
    cleanup: { stagedId: undefined, executed: false, removeCreatedTarget: false },
  },
  {
    name: 'an empty change set',
    final: 'noChanges',
    drive: (d) => throughStaging(d, stagedResults.empty),
    cleanup: { stagedId: staged.stagedId, executed: false },
  },
  {
    name: 'Abort in review',
    final: 'aborted',
    async drive(d) {
      await throughStaging(d, stagedResults.ready);
      d.actor.send({ type: 'ABORT' });
    },
    cleanup: { stagedId: staged.stagedId, executed: false, removeCreatedTarget: true },
  },
  {
    name: 'a success',
    final: 'succeeded',
    async drive(d) {
      await toMonitoring(d);
      await answerCall(d.gate, 'poll', polls.succeeded);
      await answerCall(d.gate, 'outputs', []);
    },
    cleanup: CLEANUP_AFTER_EXECUTE,
  },
  {
    name: 'a failure rolled back',
    final: 'rolledBack',
    async drive(d) {
      await toMonitoring(d);
      await answerCall(d.gate, 'poll', polls.rolledBack);
    },
    cleanup: CLEANUP_AFTER_EXECUTE,
  },
  {
    name: 'lost contact, dismissed',
    final: 'unknown',
    async drive(d) {
      await toMonitoring(d);
      await failCall(d.gate, 'poll', errors.credentials());
      d.actor.send({ type: 'DISMISS' });
    },
    cleanup: CLEANUP_AFTER_EXECUTE,
  },
  {
    name: 'a declined recovery (nothing staged)',
    final: 'aborted',
    async drive(d) {
      await initialized(d);
      await answerCall(d.gate, 'describeTarget', described.unrecoverable);
      d.actor.send({ type: 'DECLINE' });
    },
  },
  {
    name: 'Abort while preparing (nothing staged)',
    final: 'aborted',
    async drive(d) {
      await initialized(d);
      await stallCall(d.gate, 'describeTarget');
      d.actor.send({ type: 'ABORT' });
    },
  },
  {
    name: 'a bad template (nothing staged)',
    final: 'failed',
    async drive(d) {
      await answerCall(d.gate, 'preflight');
      await failCall(d.gate, 'initialize', errors.validation());
    },
  },
];

describe('every end after a stage passes through abortStaged', () => {
  for (const ending of ENDINGS) {
    it(`${ending.name} ends ${ending.final}${ending.cleanup ? ' after removing what was staged' : ' without any cleanup call'}`, async () => {
      const d = start();
      await ending.drive(d);
      await settle();
      if (ending.cleanup) {
        assert.deepEqual(d.actor.getSnapshot().value, { cleaningUp: 'run' }, `${ending.name}: cleaning up before the end`);
        const cleanup = await answerCall(d.gate, 'abortStaged');
        const request = cleanupRequest(cleanup.request);
        for (const [key, expected] of Object.entries(ending.cleanup)) {
          assert.deepEqual(request[key as keyof typeof request], expected, `abortStaged ${key}`);
        }
        assert.equal(request.attempt, 0);
      } else {
        assert.ok(!d.gate.log.includes('abortStaged'), `nothing was staged, nothing to remove: ${d.gate.log.join(' → ')}`);
        assert.ok(!d.gate.log.includes('stage'));
      }
      const { value, status } = d.actor.getSnapshot();
      assert.equal(status, 'done');
      assert.equal(value, ending.final);
    });
  }

  it('a cleanup the provider refuses is a notice, not a change of outcome', async () => {
    const d = start();
    await throughStaging(d, stagedResults.empty);
    await failCall(d.gate, 'abortStaged', errors.credentials());
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'noChanges');
    assert.equal(context.status.error, 'none');
    assert.ok(
      context.notices.some((n) => n.startsWith('What this deployment staged could not be removed: ') && n.includes('expired')),
      context.notices.join('\n'),
    );
  });
});
