/**
 * Someone else's operation on the target (the console, another tool, another window): the
 * deployment says so and offers to wait for it, then deploys ours, or to cancel. Their outcome is
 * never recorded as ours: no operation, no events, no poll of theirs.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DescribeTargetResult } from '../../src/providers/provider';
import { shownStatus } from '../../src/deployment/status';
import { deploymentInput, described, staged } from '../support/deploymentFixtures';
import { answerCall, settle, stallCall, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { initialized } from '../support/gatedPaths';

const theirs: DescribeTargetResult = {
  ...described.inProgress,
  operation: { ...described.inProgress.operation, token: 'Console-7c1e', startedBy: 'the AWS console (token Console-7c1e)' },
};

/** Their update ended in a rollback: a stable stack, updatable again. */
const theirsRolledBack: DescribeTargetResult = { condition: 'ready', providerStatus: 'UPDATE_ROLLBACK_COMPLETE', recoveryActions: [] };

async function toOtherOperation(): Promise<GatedDeployment> {
  const d = startGatedDeployment(deploymentInput({ autoExecute: true }));
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', theirs);
  return d;
}

/** Wait for it: the person chose to watch, and the first wait before reading the target again passed. */
async function watchTheirs(d: GatedDeployment): Promise<void> {
  d.actor.send({ type: 'WATCH_OTHER' });
  d.clock.increment(3_000);
  await settle();
}

function assertNothingOfTheirsRecorded(d: GatedDeployment): void {
  const { context } = d.actor.getSnapshot();
  assert.equal(context.operation, undefined, 'their operation is not ours');
  assert.equal(context.phase, undefined);
  assert.deepEqual(context.events, []);
  assert.ok(!d.gate.log.includes('poll'), 'their events are never read as ours');
}

describe('another operation runs on the target', () => {
  it('preparing stops at asking: nothing staged, and the person is told whose it is', async () => {
    const d = await toOtherOperation();
    const { value, context } = d.actor.getSnapshot();
    assert.deepEqual(value, { otherOperation: 'asking' });
    assert.equal(context.status.activity, 'otherOperation');
    assert.equal(shownStatus(context.status), 'otherOperation');
    assert.equal(context.status.target, 'staged');
    assert.equal(context.stageSent, false);
    assert.equal(context.described?.operation?.startedBy, 'the AWS console (token Console-7c1e)');
    // The question waits for the person; no timer answers it.
    d.clock.increment(600_000);
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { otherOperation: 'asking' });
    assert.deepEqual(d.gate.log, ['preflight', 'initialize', 'describeTarget']);
    assertNothingOfTheirsRecorded(d);
    d.actor.stop();
  });

  it('Watch waits for it by reading the target, then stages ours when it is ready', async () => {
    const d = await toOtherOperation();
    d.actor.send({ type: 'WATCH_OTHER' });
    await settle();
    assert.deepEqual(d.actor.getSnapshot().value, { otherOperation: 'waiting' });
    d.clock.increment(2_999);
    await settle();
    assert.equal(d.gate.pending.length, 0);
    d.clock.increment(1);
    await settle();
    await answerCall(d.gate, 'describeTarget', theirs);
    assert.deepEqual(d.actor.getSnapshot().value, { otherOperation: 'waiting' }, 'still theirs: keep waiting');
    d.clock.increment(3_000);
    await settle();
    await answerCall(d.gate, 'describeTarget', theirsRolledBack);
    const stage = await stallCall(d.gate, 'stage');
    assert.equal((stage.request as { condition: string }).condition, 'ready', 'ours is staged over the stack as it now is');
    const { context } = d.actor.getSnapshot();
    assert.equal(context.status.activity, 'staging');
    assert.equal(context.status.error, 'none', 'their rollback is not our failure');
    assertNothingOfTheirsRecorded(d);
    assert.deepEqual(d.gate.log, ['preflight', 'initialize', 'describeTarget', 'describeTarget', 'describeTarget', 'stage']);
    stage.resolve(staged);
    d.actor.stop();
  });

  it('Abort while asking ends aborted with nothing staged and nothing removed; their operation goes on', async () => {
    const d = await toOtherOperation();
    d.actor.send({ type: 'ABORT' });
    await settle();
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'aborted');
    assert.equal(context.status.target, 'archived');
    assert.equal(context.status.error, 'none');
    assert.ok(context.notices.includes('Nothing was deployed. The other operation goes on.'), context.notices.join('\n'));
    assert.ok(!d.gate.log.includes('stage') && !d.gate.log.includes('abortStaged'));
    assertNothingOfTheirsRecorded(d);
  });

  it('Abort while watching cancels the read and ends aborted, without their outcome', async () => {
    const d = await toOtherOperation();
    await watchTheirs(d);
    const reading = await stallCall(d.gate, 'describeTarget');
    d.actor.send({ type: 'ABORT' });
    await settle();
    assert.equal(reading.signal.aborted, true);
    assert.equal(d.actor.getSnapshot().value, 'aborted');
    assert.ok(!d.gate.log.includes('stage') && !d.gate.log.includes('abortStaged'));
    assertNothingOfTheirsRecorded(d);
  });

  it('a read of the target refused while watching fails before anything was staged, with nothing to remove', async () => {
    const d = await toOtherOperation();
    await watchTheirs(d);
    const reading = await d.gate.next('describeTarget');
    reading.reject(Object.assign(new Error('boom'), { name: 'Error' }));
    await settle();
    const { value, context } = d.actor.getSnapshot();
    assert.equal(value, 'failed');
    assert.equal(context.status.target, 'archived');
    assert.ok(!d.gate.log.includes('abortStaged'));
    assertNothingOfTheirsRecorded(d);
  });
});
